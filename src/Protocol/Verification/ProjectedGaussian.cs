using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Exact joint draws of (h . v, |h|^2) for h = mean + sigma z, z ~ N(0, I_m), in O(m) time and
/// O(1) random numbers: only z's components along v and along the part of the mean orthogonal
/// to v matter, and the rest of |z|^2 is chi-squared with m - 2 degrees of freedom
/// (PROTOCOL.md section 7).
/// </summary>
internal static class ProjectedGaussian
{
    public static (double AlongDirection, double SquaredNorm) Sample(
        ReadOnlySpan<double> mean, double sigma, ReadOnlySpan<double> direction, NoiseSource noise)
    {
        var m = mean.Length;
        if (m == 0) return (0, 0);
        double vv = 0, mv = 0, mm = 0;
        for (var i = 0; i < m; i++)
        {
            vv += direction[i] * direction[i];
            mv += mean[i] * direction[i];
            mm += mean[i] * mean[i];
        }
        var norm = Math.Sqrt(vv);
        // Components of the mean along v and orthogonal to it (all along "v" if v = 0).
        var parallel = norm > 0 ? mv / norm : Math.Sqrt(mm);
        var orthogonal = Math.Sqrt(Math.Max(0, mm - parallel * parallel));
        var first = parallel + sigma * noise.NextGaussian();
        var squared = first * first;
        if (m >= 2)
        {
            var second = orthogonal + sigma * noise.NextGaussian();
            squared += second * second + sigma * sigma * noise.NextChiSquared(m - 2);
        }
        return (norm * first, squared);
    }
}
