using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;
using QSI.Federation.Training;

namespace QSI.Benchmarks;

/// <summary>
/// One client's fit task of the main job's kind (784-784-10, 2 epochs of SGD in batches of 32)
/// on its own samples, through the optical frames and, as the baseline, in the clear: the
/// client's arithmetic alone, without actors, transport or the verifier. The ratio column is
/// secure over plain; the allocated column is bytes per client per round.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ClientRoundBenchmarks
{
    private static readonly LocalTrainingPlan Plan = new() { Epochs = 2, BatchSize = 32, LearningRate = 0.1, ProximalTerm = 4 };
    private Mlp _model = null!;
    private FederatedClient _client = null!;
    private float[] _parameters = null!;
    private OpticalTaskLight _frames = null!;

    /// <summary>Training samples of the client (the main job's clients hold 1,000 to 11,000).</summary>
    [Params(1000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = Mlp.Create([784, 784, 10], bias: false, new Random(1));
        _parameters = ModelParameters.Flatten(_model);
        var random = new Random(2);
        var pixels = new byte[Samples * 784];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, Samples).Select(_ => (byte)random.Next(10)).ToArray();
        var images = new LabeledImages(28, 28, pixels, labels);
        _client = new FederatedClient("client-1", new ModelShape([784, 784, 10], false), images, images.Take(0), new ClientOptions { Seed = 3 });
        // Light for every run of the benchmark; each task takes its own copies of it.
        var network = new OpticalNetwork(_model);
        const int copies = 1 << 30;
        _frames = new OpticalTaskLight(new RoundFrames(
            [network.EncodeLayer(0, 4, copies).Light, network.EncodeLayer(1, 4, copies).Light],
            [null, network.EncodeTransposedLayer(1, 4, copies).Light]));
    }

    [Benchmark(Baseline = true, Description = "plain fit task")]
    public int Plain() => _client.Run(RoundTask.For(1, TaskKind.Fit, Plan, Samples), new ClearTaskLight(_parameters)).Update!.Samples;

    [Benchmark(Description = "secure fit task")]
    public int Secure() => _client.Run(RoundTask.For(1, TaskKind.Fit, Plan, Samples), _frames).Update!.Samples;
}
