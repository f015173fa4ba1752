using MathNet.Numerics.Distributions;

namespace QSI.Protocol.Verification;

/// <summary>
/// How likely the verifier's own check (<see cref="ResidualVerifier"/>) is to flag light that is
/// not honest, and how many frames it must pool to flag it with a given probability.
/// </summary>
/// <remarks>
/// Over D dimensions and R row uses, eps-hat is close to normal with mean eps_a and, when the
/// light has an excess v on every quadrature of every mode and the rest of eps_a,
/// c = eps_a - n' v, on the two quadratures along x, Var(RSS) = 2 tr(Sigma^2) =
/// 4R (2 + v + c)^2 + 2(D - 2R)(2 + v)^2 (v = 0, c = eps0 is the honest value the verifier's
/// threshold uses). sqrt(T-hat) = C/S is normal with mean sqrt(T_a) and variance (2 + v)/S. The
/// two tests are independent (projection and residual of a Gaussian vector), as the verifier's
/// false-alarm split assumes. Offsets of the mean (a partial return's missing modes) enter by
/// their mean only; their small extra spread is not modelled.
/// </remarks>
public sealed class DetectionPower(VerifierOptions options)
{
    private readonly ResidualVerifier _verifier = new(options);

    /// <summary>The verifier's expectations.</summary>
    public VerifierOptions Options => _verifier.Options;

    /// <summary>
    /// The probability that one check pooling <paramref name="frames"/> frames, each of
    /// <paramref name="perFrame"/>, flags light that shows <paramref name="light"/> per row use.
    /// Light that is not returned is flagged for certain.
    /// </summary>
    public double Probability(CheckSize perFrame, long frames, ExpectedResidual light)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, "a check pools at least one frame");
        if (!light.ReturnsLight) return 1;
        var size = perFrame * frames;
        double d = size.Dimensions, r = size.RowUses, s = size.ReferenceEnergy;
        var eps0 = Options.HonestExcessNoise;
        var spread = light.ExcessInEveryMode;
        var alongInput = light.ExcessNoise - d / (2 * r) * spread;
        var excessSpread = Math.Sqrt(4 * r * Square(2 + spread + alongInput) + 2 * (d - 2 * r) * Square(2 + spread)) / (2 * r);
        var excessLimit = eps0 + _verifier.ExcessThreshold * ResidualVerifier.ExcessError(d, r, eps0);
        var excessFlags = 1 - Normal.CDF(light.ExcessNoise, excessSpread, excessLimit);

        var amplitudeLimit = _verifier.TransmissionThreshold * ResidualVerifier.AmplitudeError(s);
        var amplitudeSpread = Math.Sqrt((2 + spread) / s);
        var shift = Math.Sqrt(light.Transmission) - Math.Sqrt(Options.Transmission);
        var transmissionFlags = Normal.CDF(shift, amplitudeSpread, -amplitudeLimit) + 1 - Normal.CDF(shift, amplitudeSpread, amplitudeLimit);
        return 1 - (1 - excessFlags) * (1 - transmissionFlags);
    }

    /// <summary>
    /// The fewest frames one check must pool to flag <paramref name="light"/> with probability at
    /// least <paramref name="target"/>; null when no number up to <paramref name="most"/> does
    /// (honest light is flagged at the false-alarm rate however many are pooled).
    /// </summary>
    public long? FewestFrames(CheckSize perFrame, ExpectedResidual light, double target = 0.99, long most = 1L << 40)
    {
        if (!(target is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(target), target, "a detection probability lies in (0, 1)");
        // The probability grows with the frames pooled: both tests' shifts grow as sqrt(K) against their spreads.
        long low = 0, high = 1;
        while (Probability(perFrame, high, light) < target)
        {
            if (high >= most) return null;
            low = high;
            high = Math.Min(most, 2 * high);
        }
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            if (Probability(perFrame, middle, light) >= target) high = middle;
            else low = middle;
        }
        return high;
    }

    private static double Square(double x) => x * x;
}
