using BenchmarkDotNet.Attributes;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Benchmarks;

/// <summary>
/// Queries through the paper's 784-784-10 network: digitally, and through the secure protocol
/// (client device on both layers, verifier heterodyne and check), one query at a time on one
/// thread, and in batches of 64 queries through each product (the kernels then use every core).
/// Times are per query; the ratio column is secure time over digital time in each group.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InferenceBenchmarks
{
    private const int Copies = 1 << 28;
    private const int Batch = 64;
    private Mlp _model = null!;
    private CoherentFrame[] _frames = null!;
    private FrameReference[] _references = null!;
    private float[] _input = null!;
    private float[] _inputs = null!;
    private MlpBatchWorkspace _batchWorkspace = null!;
    private float[] _logits = null!;
    private MlpWorkspace _workspace = null!;
    private ClientDevice _device = null!;
    private ResidualVerifier _verifier = null!;
    private NoiseSource _noise = null!;

    [Params(SimulationPath.SufficientStatistics)]
    public SimulationPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = Mlp.Create([784, 784, 10], bias: false, new Random(1));
        var layers = new OpticalNetwork(_model).Encode(photons: 4, copies: Copies);
        (_frames, _references) = ([.. layers.Select(l => l.Light)], [.. layers.Select(l => l.Reference)]);
        var rng = new Random(2);
        _input = Enumerable.Range(0, 784).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _inputs = Enumerable.Range(0, Batch * 784).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _batchWorkspace = new MlpBatchWorkspace(_model, Batch);
        _logits = new float[10];
        _workspace = new MlpWorkspace(_model.MaxWidth);
        _device = new ClientDevice(gain: 2, Path);
        _verifier = new ResidualVerifier(new VerifierOptions { Gain = 2 });
        _noise = NoiseSource.Seeded(3);
    }

    [BenchmarkCategory("one query"), Benchmark(Baseline = true, Description = "digital query")]
    public float Digital()
    {
        _model.Forward(_input, _logits, _workspace);
        return _logits[0];
    }

    [BenchmarkCategory("one query"), Benchmark(Description = "secure query")]
    public bool Secure()
    {
        var query = SecureQuery.Run(_frames, _device, _input, _noise);
        return _verifier.Check(QueryVerification.Measure(query.Residuals, _references, _noise)).Accepted;
    }

    [BenchmarkCategory("batch of 64"), Benchmark(Baseline = true, Description = "digital batch", OperationsPerInvoke = Batch)]
    public float DigitalBatch()
    {
        _model.ForwardBatch(_inputs, Batch, _batchWorkspace);
        return _batchWorkspace.Logits[0];
    }

    [BenchmarkCategory("batch of 64"), Benchmark(Description = "secure batch", OperationsPerInvoke = Batch)]
    public bool SecureBatch()
    {
        var query = BatchQuery.Run(_frames, _device, _inputs, Batch, _noise);
        return _verifier.Check(QueryVerification.Measure(query.Residuals, _references, _noise)).Accepted;
    }
}
