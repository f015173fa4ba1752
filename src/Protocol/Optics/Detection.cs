using QSI.Protocol.Randomness;

namespace QSI.Protocol.Optics;

/// <summary>Quadrature detectors acting on Wigner-sampled modes.</summary>
internal static class Detection
{
    /// <summary>
    /// Variance of each heterodyne outcome around its mean for coherent light: the state's vacuum
    /// noise and the split's (PROTOCOL.md section 2, SNU).
    /// </summary>
    public const double HeterodyneVariance = 2;

    /// <summary>Homodyne detection of the X quadrature: the sample itself.</summary>
    public static double HomodyneX(double x) => x;

    /// <summary>
    /// Heterodyne of every mode (a 50:50 split with vacuum, X on one port and P on the other),
    /// rescaled by sqrt 2 so the outcomes estimate (X, P): each carries one extra unit of vacuum noise.
    /// </summary>
    public static (double[] X, double[] P) Heterodyne(LightModes modes, NoiseSource noise)
    {
        var x = new double[modes.Count];
        var p = new double[modes.Count];
        noise.FillGaussian(x);
        noise.FillGaussian(p);
        for (var j = 0; j < modes.Count; j++)
        {
            x[j] += modes.X[j];
            p[j] += modes.P[j];
        }
        return (x, p);
    }
}
