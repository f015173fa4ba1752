using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Protocol.Verification;

/// <summary>What the verifier expects of an honest client, and how often it may wrongly flag one.</summary>
public sealed record VerifierOptions
{
    /// <summary>Gain G the client announced; sets the honest excess noise eps0 = (2G-2)/G per use.</summary>
    public double Gain { get; init; } = 2;

    /// <summary>
    /// Transmission T of the light from the server to the verifier's input, as calibrated: the channel's to the
    /// client, times its phase-noise factor and the return path's loss when there are any.
    /// </summary>
    public double Transmission { get; init; } = 1;

    /// <summary>Transmission of the return path from the client to the verifier: the honest device's excess arrives as T_ret eps0.</summary>
    public double ReturnTransmission { get; init; } = 1;

    /// <summary>Noise the channel leaves per quadrature of every mode at the verifier's input, SNU (xi and phase noise, times T_ret).</summary>
    public double ChannelNoise { get; init; }

    /// <summary>The verifier's own heterodyne detector (trusted: its efficiency and electronic noise are corrected for).</summary>
    public Detector Detector { get; init; }

    /// <summary>True when the verifier expects no imperfection beyond the channel's loss.</summary>
    public bool IsIdealChannel => ReturnTransmission == 1 && ChannelNoise == 0 && Detector.IsIdeal;

    /// <summary>
    /// The excess noise per row use honest light of <paramref name="modes"/> modes per row shows at the verifier's
    /// input: T_ret eps0 + n' times <see cref="ChannelNoise"/> (eps0 when the channel is ideal).
    /// </summary>
    public double ExpectedExcessNoise(double modes) => IsIdealChannel ? HonestExcessNoise : ReturnTransmission * HonestExcessNoise + modes * ChannelNoise;

    /// <summary>Probability of flagging an honest client in one check (split evenly between the T and eps tests).</summary>
    public double FalseAlarmRate { get; init; } = 0.01;

    /// <summary>Honest excess noise per row use, in shot-noise units.</summary>
    public double HonestExcessNoise => new DeviceNoise(Gain).ExcessNoise;

    /// <summary>Checks the options, with messages a user can act on.</summary>
    public VerifierOptions Validated()
    {
        _ = new DeviceNoise(Gain);
        if (Transmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(Transmission), Transmission, "transmission must be in (0, 1]");
        if (ReturnTransmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(ReturnTransmission), ReturnTransmission, "return transmission must be in (0, 1]");
        if (!(ChannelNoise >= 0) || double.IsInfinity(ChannelNoise)) throw new ArgumentOutOfRangeException(nameof(ChannelNoise), ChannelNoise, "channel noise must be a finite variance >= 0 (SNU)");
        if (FalseAlarmRate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(FalseAlarmRate), FalseAlarmRate, "false-alarm rate must be in (0, 1)");
        return this;
    }
}
