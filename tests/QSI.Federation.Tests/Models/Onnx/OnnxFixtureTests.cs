using System.Text.Json;
using QSI.Federation.Models;
using QSI.Federation.Models.Onnx;

namespace QSI.Federation.Tests.Models.Onnx;

/// <summary>
/// The committed PyTorch-shaped fixtures (Fixtures/README.md) import into networks whose digital
/// forward pass gives ONNX Runtime's logits, and a graph that is not an MLP is refused by its first node.
/// </summary>
public sealed class OnnxFixtureTests
{
    // float32 sums of 16 and 8 products agree across engines to a few ulps; 1e-5 is far below any weight's effect.
    private const float Tolerance = 1e-5f;

    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Models", "Onnx", "Fixtures");

    [Fact]
    public void Committed_fixtures_are_what_the_generator_writes()
    {
        // QSI_WRITE_ONNX_FIXTURES=<dir> writes the generator's files there first (to refresh the committed ones).
        var target = Environment.GetEnvironmentVariable("QSI_WRITE_ONNX_FIXTURES");
        var fixtures = TorchStyleOnnx.Fixtures();
        foreach (var (name, bytes) in string.IsNullOrEmpty(target) ? new Dictionary<string, byte[]>() : fixtures)
        {
            File.WriteAllBytes(Path.Combine(target!, name), bytes);
        }

        foreach (var (name, bytes) in fixtures)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Fixture(name))), $"{name} differs from TorchStyleOnnx's output");
        }
    }

    [Theory]
    [InlineData("mlp-16-8-3.onnx", false)]
    [InlineData("mlp-16-8-3-matmul.onnx", true)]
    public void Imported_fixture_gives_onnx_runtimes_logits(string file, bool middleAxis)
    {
        var path = Fixture(file);
        var samples = Inputs(out var torchLogits);

        var imported = OnnxModel.Import(path);

        Assert.Equal(TorchStyleOnnx.Sizes, imported.Network.Sizes);
        Assert.Equal(17, imported.Opset);
        Assert.All(imported.Network.Layers, layer => Assert.NotNull(layer.Bias));
        var reference = OnnxRuntimeReference.Run(File.ReadAllBytes(path), samples, middleAxis);
        AssertLogits(reference, Forward(imported.Network, samples));
        if (torchLogits is not null)
        {
            // Written by make_mlp.py when the fixture came from PyTorch itself.
            AssertLogits(torchLogits, Forward(imported.Network, samples));
        }
    }

    [Fact]
    public void Gemm_and_matmul_fixtures_import_to_the_same_weights()
    {
        var gemm = OnnxModel.Import(Fixture("mlp-16-8-3.onnx")).Network;
        var matMul = OnnxModel.Import(Fixture("mlp-16-8-3-matmul.onnx")).Network;

        Assert.Equal(ModelFile.Serialize(gemm), ModelFile.Serialize(matMul));
    }

    [Fact]
    public void A_graph_with_a_conv_is_refused_naming_the_conv_node()
    {
        var path = Fixture("conv-mlp.onnx");

        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Import(path));

        Assert.Equal($"{path}: node '/0/Conv' (Conv) is not supported: only Gemm, MatMul, Add, Relu, Flatten, Reshape make an MLP", error.Message);
    }

    internal static string Fixture(string name) => Path.Combine(FixtureDirectory, name);

    internal static float[][] Forward(Mlp network, float[][] samples) =>
        samples.Select(sample =>
        {
            var logits = new float[network.OutputSize];
            network.Forward(sample, logits);
            return logits;
        }).ToArray();

    internal static void AssertLogits(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int k = 0; k < expected[i].Length; k++)
            {
                Assert.True(Math.Abs(expected[i][k] - actual[i][k]) <= Tolerance, $"sample {i}, logit {k}: expected {expected[i][k]}, got {actual[i][k]}");
            }
        }
    }

    private static float[][] Inputs(out float[][]? torchLogits)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixture("mlp-16-8-3.json")));
        var root = document.RootElement;
        static float[][] Rows(JsonElement rows) =>
            rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        torchLogits = root.TryGetProperty("logits", out var logits) ? Rows(logits) : null;
        return Rows(root.GetProperty("inputs"));
    }
}
