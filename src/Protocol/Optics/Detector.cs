using QSI.Protocol.Randomness;

namespace QSI.Protocol.Optics;

/// <summary>
/// A real quadrature detector, trusted as continuous-variable QKD treats it (docs/CONVENTIONS.md,
/// "A real channel"): a loss of efficiency eta in front of an ideal detector, then electronic
/// noise v_el added to each outcome, in shot-noise units. An outcome of a quadrature with mean m
/// and variance V has mean sqrt(eta) m and variance eta V + (1 - eta) + v_el. The default is the
/// ideal detector (eta = 1, v_el = 0).
/// </summary>
public readonly record struct Detector
{
    private readonly double? _efficiency;

    /// <summary>A detector of quantum efficiency <paramref name="efficiency"/> in (0, 1] and electronic noise <paramref name="electronicNoise"/> &gt;= 0 (SNU).</summary>
    public Detector(double efficiency, double electronicNoise = 0)
    {
        if (!(efficiency > 0 && efficiency <= 1))
            throw new ArgumentOutOfRangeException(nameof(efficiency), efficiency, "detector efficiency must be in (0, 1]");
        if (!(electronicNoise >= 0) || double.IsInfinity(electronicNoise))
            throw new ArgumentOutOfRangeException(nameof(electronicNoise), electronicNoise, "electronic noise must be a finite variance >= 0 (shot-noise units)");
        _efficiency = efficiency;
        ElectronicNoise = electronicNoise;
    }

    /// <summary>The ideal detector.</summary>
    public static Detector Ideal => default;

    /// <summary>Quantum efficiency eta (1 for the ideal detector).</summary>
    public double Efficiency => _efficiency ?? 1;

    /// <summary>Electronic noise v_el added to each outcome, in SNU.</summary>
    public double ElectronicNoise { get; }

    /// <summary>True for eta = 1 and v_el = 0: the detector then leaves every outcome as it is.</summary>
    public bool IsIdeal => Efficiency == 1 && ElectronicNoise == 0;

    /// <summary>Variance of the outcome of a quadrature of variance <paramref name="variance"/>: eta V + (1 - eta) + v_el.</summary>
    public double OutcomeVariance(double variance) => IsIdeal ? variance : Efficiency * variance + (1 - Efficiency) + ElectronicNoise;

    /// <summary>
    /// The noise a trusted detector adds, referred to its input: ((1 - eta) + v_el)/eta, the variance an
    /// outcome rescaled by 1/sqrt(eta) carries beyond the light's own.
    /// </summary>
    public double InputReferredNoise => ((1 - Efficiency) + ElectronicNoise) / Efficiency;

    /// <summary>The outcome for a Wigner sample <paramref name="x"/> of the measured quadrature (one draw of the detector's own noise).</summary>
    internal double Measure(double x, NoiseSource noise)
    {
        if (IsIdeal) return x;
        var eta = Efficiency;
        var outcome = Math.Sqrt(eta) * x + Math.Sqrt(1 - eta) * noise.NextGaussian();
        return ElectronicNoise > 0 ? outcome + Math.Sqrt(ElectronicNoise) * noise.NextGaussian() : outcome;
    }
}
