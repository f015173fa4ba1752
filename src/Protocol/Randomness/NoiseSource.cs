using MathNet.Numerics.Distributions;

namespace QSI.Protocol.Randomness;

/// <summary>
/// The single source of randomness of a simulation: shot noise, amplifier noise and
/// detector noise are all drawn here, so a seed reproduces a run exactly.
/// </summary>
/// <remarks>
/// Standard normals come from a batched Box-Muller transform (<see cref="BoxMuller"/>: a
/// vectorised logarithm and square root, and the angle's sine and cosine by short series) over
/// eight xoshiro256** streams stepped together and seeded from the uniform generator, several
/// times faster than drawing them one at a time (docs/BENCHMARKS.md). Not thread-safe: give each thread its own
/// source, derived with <see cref="Split"/>.
/// </remarks>
public sealed class NoiseSource
{
    private const int Batch = 512;
    private readonly Random _uniform;
    private Xoshiro256 _bits;
    private readonly double[] _normals = new double[2 * Batch];
    private readonly double[] _radius = new double[Batch];
    private readonly double[] _angle = new double[Batch];
    private int _next = 2 * Batch;

    /// <summary>Wraps any uniform generator; the caller owns its seeding.</summary>
    public NoiseSource(Random uniform)
    {
        _uniform = uniform;
        _bits = new Xoshiro256((ulong)uniform.NextInt64());
    }

    /// <summary>A reproducible source for <paramref name="seed"/>.</summary>
    public static NoiseSource Seeded(int seed) => new(new Random(seed));

    /// <summary>
    /// Stream <paramref name="stream"/> of the run seeded <paramref name="seed"/>: independent
    /// streams for parallel work whose results do not depend on thread scheduling
    /// (SplitMix64 mixing of the pair).
    /// </summary>
    public static NoiseSource ForStream(int seed, long stream)
    {
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream);
        var z = Xoshiro256.SplitMix64(ref state);
        return Seeded(unchecked((int)z ^ (int)(z >> 32)));
    }

    /// <summary>The underlying uniform generator (for shuffles and uniform choices).</summary>
    public Random Uniform => _uniform;

    /// <summary>An independent, reproducible child source (for another thread or party).</summary>
    public NoiseSource Split() => Seeded(_uniform.Next());

    /// <summary>One standard normal draw, N(0, 1).</summary>
    public double NextGaussian()
    {
        if (_next == _normals.Length) Refill();
        return _normals[_next++];
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) draws.</summary>
    public void FillGaussian(Span<double> destination)
    {
        while (destination.Length > 0)
        {
            if (_next == _normals.Length) Refill();
            var take = Math.Min(destination.Length, _normals.Length - _next);
            _normals.AsSpan(_next, take).CopyTo(destination);
            _next += take;
            destination = destination[take..];
        }
    }

    /// <summary>
    /// A chi-squared draw with <paramref name="degreesOfFreedom"/> degrees of freedom, in O(1)
    /// time whatever the degrees (Gamma(k/2, rate 1/2)); zero degrees give zero.
    /// </summary>
    public double NextChiSquared(double degreesOfFreedom) =>
        degreesOfFreedom <= 0 ? 0 : Gamma.Sample(_uniform, degreesOfFreedom / 2, 0.5);

    private void Refill()
    {
        BoxMuller.Fill(ref _bits, _radius, _angle, _normals.AsSpan(0, Batch), _normals.AsSpan(Batch, Batch));
        _next = 0;
    }
}
