using QSI.Protocol.Client;

namespace QSI.Protocol.Leakage;

/// <summary>Which form of the Cramér-Rao data bound (PROTOCOL.md section 4).</summary>
public enum FisherDenominator
{
    /// <summary>Fisher information with sigma^4, as derived.</summary>
    SigmaFourth,
    /// <summary>sigma^8, as in the authors' published code (under 1 % apart here).</summary>
    SigmaEighth,
}

/// <summary>
/// Information-theoretic bounds on what each party learns from one use of the protocol
/// (PROTOCOL.md section 4). All results in bits.
/// </summary>
public static class LeakageBounds
{
    /// <summary>
    /// Holevo bound I_w on the weight information one mode gives the client, for mean photon
    /// number <paramref name="photons"/>, channel transmission T and per-mode excess noise eps:
    /// V = 2mu+1, a = V, b = T(V-1)+1+eps, c = sqrt(T(V^2-1)), I_w = g(nu1)+g(nu2)-g(nu3).
    /// </summary>
    public static double HolevoBitsPerMode(double photons, double transmission, double excessPerMode)
    {
        if (photons < 0) throw new ArgumentOutOfRangeException(nameof(photons), "photon number must be non-negative");
        if (transmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(transmission), "transmission must be in (0, 1]");
        var v = 2 * photons + 1;
        var a = v;
        var b = transmission * (v - 1) + 1 + excessPerMode;
        var c2 = transmission * (v * v - 1);
        var z = Math.Sqrt((a + b) * (a + b) - 4 * c2);
        var nu1 = (z + (b - a)) / 2;
        var nu2 = (z - (b - a)) / 2;
        var nu3 = b - c2 / (a + 1);
        return Math.Max(0, G(nu1) + G(nu2) - G(nu3));
    }

    /// <summary>
    /// Weight leakage of one use of a frame with <paramref name="modes"/> modes per row, at gain G:
    /// the honest device's excess eps0 spreads over the n' modes, eps = eps0/n'.
    /// </summary>
    public static double WeightBitsPerMode(double gain, double photons, int modes, double transmission = 1) =>
        HolevoBitsPerMode(photons, transmission, new DeviceNoise(gain).ExcessNoise / modes);

    /// <summary>
    /// Cramér-Rao bound I_x on one data element, from N = n' measurements of returned modes of
    /// variance sigma^2 = 1 + eps0 x^2 with x = 1/sqrt(n'):
    /// I = (2 eps0 x)^2/(2 sigma^4), sigma_x^2 = 1/(N I), I_x = 1/2 log2(1 + 2x^2/sigma_x^2).
    /// </summary>
    public static double DataBits(double gain, int modes, FisherDenominator denominator = FisherDenominator.SigmaFourth)
    {
        var eps0 = new DeviceNoise(gain).ExcessNoise;
        var x2 = 1.0 / modes;
        var sigma2 = 1 + eps0 * x2;
        var sigmaPower = denominator == FisherDenominator.SigmaFourth ? sigma2 * sigma2 : Math.Pow(sigma2, 4);
        var fisher = 4 * eps0 * eps0 * x2 / (2 * sigmaPower);
        var varianceOfEstimate = 1 / (modes * fisher);
        return 0.5 * Math.Log2(1 + 2 * x2 / varianceOfEstimate);
    }

    /// <summary>
    /// The authors' conservative data bound, I_x = 1/2 log2(1 + 4 (M/n') (G-1)^2 / (G(3G-2))),
    /// with M the number of rows that reuse the same input.
    /// </summary>
    public static double DataBitsConservative(double gain, int modes, int rows)
    {
        _ = new DeviceNoise(gain);
        var snr = 4.0 * rows / modes * (gain - 1) * (gain - 1) / (gain * (3 * gain - 2));
        return 0.5 * Math.Log2(1 + snr);
    }

    /// <summary>
    /// What one use of a frame of <paramref name="rows"/> rows, every row reusing the client's
    /// vector x of <paramref name="modes"/> modes, can tell a server about each element: the bound
    /// the leakage account charges (docs/SECURITY.md, "What the server learns of the data").
    /// Two real estimators set its two terms, added as signal-to-noise ratios:
    /// the per-mode variance, measured N = M times (not n' as in <see cref="DataBits"/>) with the
    /// homodyne's sigma^4 Fisher information, SNR = 4 M eps0^2 x^4 / sigma^4; and the direction
    /// of x read off the rank-one excess of the residuals' covariance across the M rows, the
    /// authors' conservative term SNR = M eps0^2 / (n' (1 + eps0)). With x^2 = 1/n',
    /// I_x = 1/2 log2(1 + SNR_mode + SNR_direction).
    /// </summary>
    /// <remarks>
    /// <see cref="DataBits"/> (N = n') and <see cref="DataBitsConservative"/> alone are each beaten
    /// by one of the curious server's estimators when M is large against n' (the transposed frame
    /// of a 10-row layer: M = 784 rows, n' = 5); this bound is not (tested). It is a bound on the
    /// estimators we know, not a proof against every measurement.
    /// </remarks>
    public static double DataBitsPerUse(double gain, int modes, int rows)
    {
        if (modes < 1 || rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), "a frame has at least one row and one mode");
        var eps0 = new DeviceNoise(gain).ExcessNoise;
        var x2 = 1.0 / modes;
        var sigma2 = 1 + eps0 * x2;
        var perMode = 4.0 * rows * eps0 * eps0 * x2 * x2 / (sigma2 * sigma2);
        var direction = (double)rows * eps0 * eps0 / (modes * (1 + eps0));
        return 0.5 * Math.Log2(1 + perMode + direction);
    }

    /// <summary>Number of modes n' = ceil(n/2) that carry n real weights, two per mode.</summary>
    public static int ModesFor(int weights) => (weights + 1) / 2;

    /// <summary>g(nu) = ((nu+1)/2) log2((nu+1)/2) - ((nu-1)/2) log2((nu-1)/2); g(1) = 0.</summary>
    internal static double G(double nu)
    {
        if (nu <= 1) return 0;
        var plus = (nu + 1) / 2;
        var minus = (nu - 1) / 2;
        return plus * Math.Log2(plus) - minus * Math.Log2(minus);
    }
}
