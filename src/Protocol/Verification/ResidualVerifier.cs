using MathNet.Numerics.Distributions;
using QSI.Protocol.Optics;

namespace QSI.Protocol.Verification;

/// <summary>The verifier's conclusion on one check of returned light.</summary>
/// <param name="Accepted">False when the client is flagged.</param>
/// <param name="Transmission">Estimated transmission T-hat.</param>
/// <param name="ExcessNoise">Estimated excess noise per row use eps-hat (SNU; honest: eps0).</param>
/// <param name="TransmissionScore">(sqrt(T-hat) - sqrt(T)) in standard errors.</param>
/// <param name="ExcessNoiseScore">(eps-hat - eps0) in standard errors.</param>
public readonly record struct VerifierVerdict(
    bool Accepted, double Transmission, double ExcessNoise, double TransmissionScore, double ExcessNoiseScore);

/// <summary>
/// Parameter estimation on returned light, as in CV-QKD (PROTOCOL.md section 3, step 6):
/// with heterodyne outcomes H against reference A, sqrt(T-hat) = (H.A)/|A|^2 and the residual
/// sum of squares RSS = |H|^2 - (H.A)^2/|A|^2. Each real dimension carries 2 SNU of vacuum
/// and heterodyne noise, each row use adds its excess along one mode's two quadratures, so
/// eps-hat = (RSS - 2(D - 1)) / (2R). The client is flagged when either estimate leaves the
/// honest confidence band: eps one-sided (extra measurement only adds noise), T two-sided.
/// A check with no returned light at all flags the client.
/// </summary>
public sealed class ResidualVerifier
{
    private readonly double _excessThreshold;
    private readonly double _transmissionThreshold;

    /// <summary>A verifier with the given expectations.</summary>
    public ResidualVerifier(VerifierOptions options)
    {
        Options = options.Validated();
        // Two independent tests share the false-alarm rate: 1 - (1 - a')^2 = a.
        var perTest = 1 - Math.Sqrt(1 - options.FalseAlarmRate);
        _excessThreshold = Normal.InvCDF(0, 1, 1 - perTest);
        _transmissionThreshold = Normal.InvCDF(0, 1, 1 - perTest / 2);
    }

    /// <summary>The verifier's expectations.</summary>
    public VerifierOptions Options { get; }

    /// <summary>z above which the excess-noise test flags (one-sided).</summary>
    internal double ExcessThreshold => _excessThreshold;

    /// <summary>|z| above which the transmission test flags (two-sided).</summary>
    internal double TransmissionThreshold => _transmissionThreshold;

    /// <summary>
    /// Checks the pooled statistics of one or more returned frames. Statistics of nothing (no
    /// light returned) flag the client, with no estimates.
    /// </summary>
    public VerifierVerdict Check(ResidualStatistics statistics)
    {
        if (statistics.Uses == 0) return new VerifierVerdict(false, 0, 0, 0, 0);
        var options = Options;
        var estimate = Estimate(statistics, options.Detector);
        var eps0 = options.HonestExcessNoise;
        double excessError, amplitudeError, expected;
        if (options.IsIdealChannel)
        {
            expected = eps0;
            excessError = ExcessError(statistics.Dimensions, statistics.Uses, eps0);
            amplitudeError = AmplitudeError(statistics.ReferenceEnergy);
        }
        else
        {
            var modes = statistics.Dimensions / (2.0 * statistics.Uses);
            expected = options.ExpectedExcessNoise(modes);
            var alongInput = options.ReturnTransmission * eps0;
            excessError = ExcessError(statistics.Dimensions, statistics.Uses, options.ChannelNoise, alongInput, options.Detector);
            amplitudeError = AmplitudeError(statistics.ReferenceEnergy, options.ChannelNoise, options.Detector);
        }
        var excessScore = (estimate.ExcessNoise - expected) / excessError;
        var transmissionScore = (Math.Sqrt(estimate.Transmission) * Math.Sign(statistics.Correlation) - Math.Sqrt(options.Transmission))
            / amplitudeError;
        var accepted = excessScore <= _excessThreshold && Math.Abs(transmissionScore) <= _transmissionThreshold;
        return new VerifierVerdict(accepted, estimate.Transmission, estimate.ExcessNoise, transmissionScore, excessScore);
    }

    /// <summary>
    /// sd of eps-hat for honest light over D dimensions and R row uses: Var(RSS) = 2 tr(Sigma^2),
    /// 2 SNU in D - 2R dimensions and 2 + eps0 in 2R, so sd = sqrt(8D + 4R(4 eps0 + eps0^2)) / (2R).
    /// </summary>
    internal static double ExcessError(double dimensions, double rowUses, double honestExcess) =>
        Math.Sqrt(8 * dimensions + 4 * rowUses * (4 * honestExcess + honestExcess * honestExcess)) / (2 * rowUses);

    /// <summary>sd of sqrt(T-hat) = C/S for honest light: sqrt(2/S), S = sum A^2.</summary>
    internal static double AmplitudeError(double referenceEnergy) => Math.Sqrt(2 / referenceEnergy);

    /// <summary>
    /// sd of eps-hat behind a real channel: every outcome has variance b = 2 + v_el + eta v (v the noise on every
    /// quadrature at the verifier's input), the two along x b + eta c (c the device's excess there), so
    /// Var(RSS) = 2[(D - 2R) b^2 + 2R (b + eta c)^2] and sd = sqrt(Var) / (2 R eta). At the ideal it is the form above.
    /// </summary>
    internal static double ExcessError(double dimensions, double rowUses, double everyQuadrature, double alongInput, Detector detector)
    {
        var eta = detector.Efficiency;
        var b = 2 + detector.ElectronicNoise + eta * everyQuadrature;
        var along = b + eta * alongInput;
        return Math.Sqrt(2 * ((dimensions - 2 * rowUses) * b * b + 2 * rowUses * along * along)) / (2 * rowUses * eta);
    }

    /// <summary>sd of sqrt(T-hat) = C/(S sqrt(eta)) behind a real channel: sqrt(b / (S eta)), b = 2 + v_el + eta v.</summary>
    internal static double AmplitudeError(double referenceEnergy, double everyQuadrature, Detector detector)
    {
        var eta = detector.Efficiency;
        return Math.Sqrt((2 + detector.ElectronicNoise + eta * everyQuadrature) / (referenceEnergy * eta));
    }

    /// <summary>Point estimates (T-hat, eps-hat) from pooled statistics.</summary>
    public static (double Transmission, double ExcessNoise) Estimate(ResidualStatistics statistics)
    {
        if (statistics.Uses == 0 || statistics.ReferenceEnergy <= 0)
            throw new ArgumentException("no returned light to estimate from", nameof(statistics));
        var amplitude = statistics.Correlation / statistics.ReferenceEnergy;
        var residual = statistics.Energy - statistics.Correlation * amplitude;
        var excess = (residual - 2 * (statistics.Dimensions - 1)) / (2.0 * statistics.Uses);
        return (amplitude * amplitude, excess);
    }

    /// <summary>
    /// Point estimates referred to the verifier's input, for statistics measured with <paramref name="detector"/>
    /// (trusted): T-hat = (C/S)^2 / eta and eps-hat = (RSS - (2 + v_el)(D - 1)) / (2 R eta). The ideal detector gives <see cref="Estimate(ResidualStatistics)"/>.
    /// </summary>
    public static (double Transmission, double ExcessNoise) Estimate(ResidualStatistics statistics, Detector detector)
    {
        if (detector.IsIdeal) return Estimate(statistics);
        if (statistics.Uses == 0 || statistics.ReferenceEnergy <= 0)
            throw new ArgumentException("no returned light to estimate from", nameof(statistics));
        var eta = detector.Efficiency;
        var amplitude = statistics.Correlation / statistics.ReferenceEnergy;
        var residual = statistics.Energy - statistics.Correlation * amplitude;
        var excess = (residual - (2 + detector.ElectronicNoise) * (statistics.Dimensions - 1)) / (2.0 * statistics.Uses * eta);
        return (amplitude * amplitude / eta, excess);
    }
}
