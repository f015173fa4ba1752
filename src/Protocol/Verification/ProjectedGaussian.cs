using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Exact joint draws of (h . v, |h|^2) for h = mean + sigma z, z ~ N(0, I_m), from three sums
/// (|v|^2, mean . v, |mean|^2) and O(1) random numbers: only z's components along v and along the part of the mean
/// orthogonal to v matter, and the rest of |z|^2 is chi-squared with m - 2 degrees of
/// freedom (PROTOCOL.md section 7).
/// </summary>
internal readonly record struct ProjectedGaussian(long Count, double DirectionSquared, double MeanDotDirection, double MeanSquared)
{
    public (double AlongDirection, double SquaredNorm) Sample(double sigma, NoiseSource noise)
    {
        if (Count == 0) return (0, 0);
        var norm = Math.Sqrt(DirectionSquared);
        // Components of the mean along v and orthogonal to it (all along "v" if v = 0).
        var parallel = norm > 0 ? MeanDotDirection / norm : Math.Sqrt(MeanSquared);
        var orthogonal = Math.Sqrt(Math.Max(0, MeanSquared - parallel * parallel));
        var first = parallel + sigma * noise.NextGaussian();
        var squared = first * first;
        if (Count >= 2)
        {
            var second = orthogonal + sigma * noise.NextGaussian();
            squared += second * second + sigma * sigma * noise.NextChiSquared(Count - 2);
        }
        return (norm * first, squared);
    }
}
