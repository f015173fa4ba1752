using BenchmarkDotNet.Attributes;
using MathNet.Numerics.Distributions;
using QSI.Protocol.Randomness;

namespace QSI.Benchmarks;

/// <summary>
/// Standard normal draws, as the device and the verifier consume them: our batched Box-Muller
/// over xoshiro256** (<see cref="NoiseSource.FillGaussian"/>) against MathNet's
/// <c>Normal.Samples</c>, over a seeded System.Random and over MathNet's own xoshiro256**, filling
/// the same array. One thread each; the ratio column is the time over MathNet's with System.Random.
/// </summary>
[MemoryDiagnoser]
public class SamplingBenchmarks
{
    private readonly double[] _draws = new double[1 << 16];
    private NoiseSource _noise = null!;
    private Random _random = null!;
    private Random _xoshiro = null!;

    [GlobalSetup]
    public void Setup()
    {
        _noise = NoiseSource.Seeded(1);
        _random = new Random(1);
        _xoshiro = new MathNet.Numerics.Random.Xoshiro256StarStar(1);
    }

    [Benchmark(Baseline = true, Description = "MathNet Normal.Samples")]
    public double MathNet()
    {
        Normal.Samples(_random, _draws, 0, 1);
        return _draws[^1];
    }

    [Benchmark(Description = "MathNet Normal.Samples, xoshiro256**")]
    public double MathNetXoshiro()
    {
        Normal.Samples(_xoshiro, _draws, 0, 1);
        return _draws[^1];
    }

    [Benchmark(Description = "NoiseSource.FillGaussian")]
    public double Ours()
    {
        _noise.FillGaussian(_draws);
        return _draws[^1];
    }
}
