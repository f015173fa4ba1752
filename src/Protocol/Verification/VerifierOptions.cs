using QSI.Protocol.Client;

namespace QSI.Protocol.Verification;

/// <summary>What the verifier expects of an honest client, and how often it may wrongly flag one.</summary>
public sealed record VerifierOptions
{
    /// <summary>Gain G the client announced; sets the honest excess noise eps0 = (2G-2)/G per use.</summary>
    public double Gain { get; init; } = 2;

    /// <summary>Transmission T of the channel from server to client, as calibrated.</summary>
    public double Transmission { get; init; } = 1;

    /// <summary>Probability of flagging an honest client in one check (split evenly between the T and eps tests).</summary>
    public double FalseAlarmRate { get; init; } = 0.01;

    /// <summary>Honest excess noise per row use, in shot-noise units.</summary>
    public double HonestExcessNoise => new DeviceNoise(Gain).ExcessNoise;

    /// <summary>Checks the options, with messages a user can act on.</summary>
    public VerifierOptions Validated()
    {
        _ = new DeviceNoise(Gain);
        if (Transmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(Transmission), Transmission, "transmission must be in (0, 1]");
        if (FalseAlarmRate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(FalseAlarmRate), FalseAlarmRate, "false-alarm rate must be in (0, 1)");
        return this;
    }
}
