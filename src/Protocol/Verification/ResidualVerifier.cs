using MathNet.Numerics.Distributions;

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

    /// <summary>Checks the pooled statistics of one or more returned frames.</summary>
    public VerifierVerdict Check(ResidualStatistics statistics)
    {
        var estimate = Estimate(statistics);
        var eps0 = Options.HonestExcessNoise;
        double d = statistics.Dimensions, r = statistics.Uses;
        // Var(RSS) = 2 tr(Sigma^2): 2 SNU in D - 2R dimensions, 2 + eps0 in 2R.
        var excessError = Math.Sqrt(8 * d + 4 * r * (4 * eps0 + eps0 * eps0)) / (2 * r);
        var amplitudeError = Math.Sqrt(2 / statistics.ReferenceEnergy);
        var excessScore = (estimate.ExcessNoise - eps0) / excessError;
        var transmissionScore = (Math.Sqrt(estimate.Transmission) * Math.Sign(statistics.Correlation) - Math.Sqrt(Options.Transmission)) / amplitudeError;
        var accepted = excessScore <= _excessThreshold && Math.Abs(transmissionScore) <= _transmissionThreshold;
        return new VerifierVerdict(accepted, estimate.Transmission, estimate.ExcessNoise, transmissionScore, excessScore);
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
}
