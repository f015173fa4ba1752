using BenchmarkDotNet.Attributes;
using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Benchmarks;

/// <summary>
/// The differential-privacy step of one round of the 784-784-10 network (622,496 parameters),
/// five updates as in <c>--clients 10 --fraction-fit 0.5</c>: the server's central release (clip
/// each, sum, noise, account) and one client's distributed privatization (clip, noise share,
/// scale), beside FedAvg's weighted mean of the same updates, the aggregation it replaces.
/// </summary>
[MemoryDiagnoser]
public class PrivacyBenchmarks
{
    private const int Parameters = 784 * 784 + 784 * 10;
    private ClientUpdate[] _updates = null!;
    private ClientPrivacy _share = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _updates = [.. Enumerable.Range(0, 5).Select(k => new ClientUpdate($"client-{k}",
            [.. Enumerable.Range(0, Parameters).Select(_ => (float)((random.NextDouble() - 0.5) * 0.01))], 1000 + k))];
        _share = new ClientPrivacy(1, 1 / Math.Sqrt(5));
    }

    [Benchmark(Baseline = true)]
    public float[] WeightedMean() => Aggregation.WeightedMean(_updates);

    [Benchmark]
    public ClientUpdate? CentralRelease() =>
        new UpdatePrivacy(new DifferentialPrivacySettings { NoiseMultiplier = 1, Clip = 1 }).Release(_updates, 5, 5, 0.5, GaussianNoise.Seeded(1)).Mean;

    [Benchmark]
    public float[] ClientPrivatize() => _share.Privatize(_updates[0].Delta, _updates[0].Samples, GaussianNoise.Seeded(2));

    [Benchmark]
    public float[] ClientPrivatizeSecureNoise() => _share.Privatize(_updates[0].Delta, _updates[0].Samples, GaussianNoise.Secure());
}
