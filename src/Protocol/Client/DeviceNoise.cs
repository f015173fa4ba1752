using QSI.Protocol.Optics;

namespace QSI.Protocol.Client;

/// <summary>
/// The noise budget of the client's amplify-and-split device at gain G, in shot-noise units
/// (PROTOCOL.md section 3, steps 3 to 5). All quantities follow from G and, when it is not
/// ideal, the homodyne <see cref="Detector"/> (docs/CONVENTIONS.md, "A real channel").
/// </summary>
public readonly record struct DeviceNoise
{
    /// <summary>Creates the budget for amplifier gain <paramref name="gain"/> (G &gt; 1).</summary>
    public DeviceNoise(double gain)
    {
        if (!(gain > 1) || double.IsInfinity(gain))
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "the amplifier gain G must be a finite number above 1");
        Gain = gain;
    }

    /// <summary>Creates the budget for gain <paramref name="gain"/> with a real homodyne <paramref name="detector"/>.</summary>
    public DeviceNoise(double gain, Detector detector) : this(gain) => Detector = detector;

    /// <summary>The client's homodyne detector (trusted: the client corrects its estimate for it).</summary>
    public Detector Detector { get; }

    /// <summary>Amplifier gain G.</summary>
    public double Gain { get; }

    /// <summary>Fraction 1 - 1/G of the amplified light sent to the detector.</summary>
    public double DetectorFraction => 1 - 1 / Gain;

    /// <summary>Amplitude gain of the detector's outcome relative to b0: sqrt(G - 1), times sqrt(eta) for a detector of efficiency eta.</summary>
    public double DetectorAmplitudeGain => Detector.IsIdeal ? Math.Sqrt(Gain - 1) : Math.Sqrt(Gain - 1) * Math.Sqrt(Detector.Efficiency);

    /// <summary>Homodyne variance on the detector arm, (2G^2 - 3G + 2)/G (step 4).</summary>
    public double DetectorVariance => (2 * Gain * Gain - 3 * Gain + 2) / Gain;

    /// <summary>Quadrature variance of the return arm, (3G - 2)/G (step 5).</summary>
    public double ReturnVariance => (3 * Gain - 2) / Gain;

    /// <summary>Excess noise the honest device leaves on the return arm, eps0 = (2G - 2)/G.</summary>
    public double ExcessNoise => (2 * Gain - 2) / Gain;

    /// <summary>
    /// Covariance of the X quadrature noise of detector and return arms, 2(G-1)^(3/2)/G:
    /// both arms share the amplifier's noise, so the client's outcome and the returned
    /// light are correlated. The P quadratures of the return arm are independent of it.
    /// </summary>
    public double DetectorReturnCovariance => 2 * (Gain - 1) * Math.Sqrt(Gain - 1) / Gain;

    /// <summary>
    /// The arms' noise when the light entering the amplifier along x has quadrature variance
    /// <paramref name="inputVariance"/> V (vacuum: 1). After the amplifier the variance is
    /// A = G V + G - 1; the split sends 1 - 1/G of it, with vacuum, to the detector, so its X has
    /// variance (1 - 1/G) A + 1/G, the return arm A/G + 1 - 1/G on each quadrature, and their X
    /// noises covariance sqrt((1 - 1/G)/G) (A - 1). At V = 1 these are the closed forms of
    /// section 3, returned exactly. A real detector (eta, v_el) makes the outcome's variance
    /// eta V_d + (1 - eta) + v_el and its covariance with the return arm sqrt(eta) C.
    /// </summary>
    public ArmNoise ForInput(double inputVariance)
    {
        if (!(inputVariance >= 1) || double.IsInfinity(inputVariance))
            throw new ArgumentOutOfRangeException(nameof(inputVariance), inputVariance, "light has quadrature variance at least 1 (vacuum)");
        var arms = inputVariance == 1 ? new ArmNoise(DetectorVariance, ReturnVariance, DetectorReturnCovariance) : AmplifiedArms(inputVariance);
        return Detector.IsIdeal ? arms
            : arms with { Detector = Detector.OutcomeVariance(arms.Detector), Covariance = Math.Sqrt(Detector.Efficiency) * arms.Covariance };
    }

    private ArmNoise AmplifiedArms(double inputVariance)
    {
        var amplified = Gain * inputVariance + Gain - 1;
        return new ArmNoise(
            DetectorFraction * amplified + 1 / Gain,
            amplified / Gain + DetectorFraction,
            Math.Sqrt(DetectorFraction / Gain) * (amplified - 1));
    }

    /// <summary>
    /// kappa(G) = G(G-1)/(2G^2 - 3G + 2): SNR per photon, largest (0.547) at G = 2 + sqrt 2. With a
    /// real detector, kappa = eta (G-1) / (eta V_d + (1 - eta) + v_el), V_d = (2G^2 - 3G + 2)/G.
    /// </summary>
    public double Kappa => Detector.IsIdeal
        ? Gain * (Gain - 1) / (2 * Gain * Gain - 3 * Gain + 2)
        : Detector.Efficiency * (Gain - 1) / Detector.OutcomeVariance(DetectorVariance);

    /// <summary>F = 2 mu kappa(G): the client sees y = sqrt(F) (w.x)/sqrt(&lt;W^2&gt;) + N(0, 1).</summary>
    public double SignalFactor(double photons) => 2 * photons * Kappa;
}

/// <summary>The noise of the device's two arms for one input variance (see <see cref="DeviceNoise.ForInput"/>).</summary>
/// <param name="Detector">Variance of the homodyne's X on the detector arm.</param>
/// <param name="Return">Variance of each quadrature of the return arm.</param>
/// <param name="Covariance">Covariance of the detector's X noise and the return arm's X noise.</param>
public readonly record struct ArmNoise(double Detector, double Return, double Covariance);
