using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Optics;

/// <summary>
/// The imperfections of a real testbed, all Gaussian so the simulation stays exact
/// (docs/CONVENTIONS.md, "A real channel"): the client's and the verifier's detectors (efficiency and
/// electronic noise, trusted), loss on the return path, excess noise the channel adds at the client's
/// input, and phase noise between the light and the server's reference in a Gaussian approximation.
/// The defaults are the ideal channel, under which every number is the ideal protocol's.
/// </summary>
public sealed record ChannelImperfections
{
    /// <summary>The ideal channel: perfect detectors, a lossless return, no excess or phase noise.</summary>
    public static ChannelImperfections Ideal { get; } = new();

    /// <summary>Efficiency eta of the client's homodyne, in (0, 1].</summary>
    public double ClientEfficiency { get; init; } = 1;

    /// <summary>Electronic noise v_el of the client's homodyne, SNU (&gt;= 0).</summary>
    public double ClientElectronicNoise { get; init; }

    /// <summary>Efficiency of the verifier's heterodyne, in (0, 1].</summary>
    public double VerifierEfficiency { get; init; } = 1;

    /// <summary>Electronic noise of each of the verifier's heterodyne outcomes, SNU (&gt;= 0).</summary>
    public double VerifierElectronicNoise { get; init; }

    /// <summary>Transmission of the return path from the client to the verifier, in (0, 1].</summary>
    public double ReturnTransmission { get; init; } = 1;

    /// <summary>Excess noise xi the channel adds at the client's input, per quadrature of every mode, SNU (&gt;= 0).</summary>
    public double ExcessNoise { get; init; }

    /// <summary>Standard deviation sigma of the phase noise between the light and the reference, radians (&gt;= 0).</summary>
    public double PhaseNoise { get; init; }

    /// <summary>True when every imperfection is off.</summary>
    public bool IsIdeal => this == Ideal;

    /// <summary>The client's homodyne detector.</summary>
    public Detector ClientDetector => ClientEfficiency == 1 && ClientElectronicNoise == 0 ? Detector.Ideal : new Detector(ClientEfficiency, ClientElectronicNoise);

    /// <summary>The verifier's heterodyne detector.</summary>
    public Detector VerifierDetector => VerifierEfficiency == 1 && VerifierElectronicNoise == 0 ? Detector.Ideal : new Detector(VerifierEfficiency, VerifierElectronicNoise);

    /// <summary>
    /// The phase noise's factor on every mean photon number, exp(-sigma^2): a phase phi ~ N(0, sigma^2) scales
    /// each mean amplitude by E[exp(i phi)] = exp(-sigma^2/2).
    /// </summary>
    public double PhaseTransmission => PhaseNoise == 0 ? 1 : Math.Exp(-PhaseNoise * PhaseNoise);

    /// <summary>
    /// The Gaussian approximation's noise for light of <paramref name="photons"/> mean photons per mode:
    /// 2 n (1 - exp(-sigma^2)) per quadrature, the rotated mean's spread averaged over the two quadratures,
    /// which with the factor <see cref="PhaseTransmission"/> on the means conserves the photon number.
    /// </summary>
    public double PhaseExcess(double photons) => PhaseNoise == 0 ? 0 : 2 * photons * (1 - PhaseTransmission);

    /// <summary>Noise added per quadrature at the client's input for light arriving with <paramref name="photons"/> per mode: xi + phase excess.</summary>
    public double ForwardNoise(double photons) => ExcessNoise + PhaseExcess(photons);

    /// <summary>Checks every field, with messages a user can act on.</summary>
    public ChannelImperfections Validated()
    {
        static void Efficiency(double value, string name)
        {
            if (!(value > 0 && value <= 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1]");
        }
        static void Variance(double value, string name)
        {
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0");
        }
        Efficiency(ClientEfficiency, "client detector efficiency");
        Variance(ClientElectronicNoise, "client electronic noise (SNU)");
        Efficiency(VerifierEfficiency, "verifier detector efficiency");
        Variance(VerifierElectronicNoise, "verifier electronic noise (SNU)");
        Efficiency(ReturnTransmission, "return transmission");
        Variance(ExcessNoise, "channel excess noise (SNU)");
        Variance(PhaseNoise, "phase noise (radians)");
        if (PhaseNoise > Math.PI)
            throw new ArgumentOutOfRangeException("phase noise (radians)", PhaseNoise, "phase noise above pi radians leaves no phase reference; the Gaussian approximation needs sigma well below 1");
        return this;
    }

    /// <summary>
    /// The channel's noise at the client's input on <paramref name="frame"/>, after its loss: the phase noise
    /// (means times exp(-sigma^2/2), with its Gaussian excess for the photons that arrive) and the excess noise xi.
    /// </summary>
    public void Forward(CoherentFrame frame)
    {
        if (PhaseNoise == 0 && ExcessNoise == 0) return;
        frame.PassThroughChannel(PhaseTransmission, ForwardNoise(frame.Transmission * frame.Photons));
    }

    /// <summary>The returned light after the return path's loss.</summary>
    public ReturnedLight Return(ReturnedLight light, NoiseSource noise) => light.PassThroughChannel(ReturnTransmission, noise);

    /// <summary>
    /// What a verifier that knows this channel expects, starting from <paramref name="options"/>: light behind a
    /// channel of transmission <paramref name="channelTransmission"/> to the client, frames of <paramref name="photons"/>
    /// per mode. T = T_ch exp(-sigma^2) T_ret; excess eps = T_ret (eps0 + n' (xi + phase excess)); its own detector.
    /// </summary>
    public VerifierOptions Expecting(VerifierOptions options, double channelTransmission, double photons) => IsIdeal
        ? options with { Transmission = channelTransmission }
        : options with
        {
            Transmission = channelTransmission * PhaseTransmission * ReturnTransmission,
            ReturnTransmission = ReturnTransmission,
            ChannelNoise = ReturnTransmission * ForwardNoise(channelTransmission * photons),
            Detector = VerifierDetector,
        };
}
