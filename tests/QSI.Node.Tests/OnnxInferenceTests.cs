using Google.Protobuf;
using QSI.Federation.Models;
using QSI.Federation.Tests.Models.Onnx;
using Xunit.Abstractions;

namespace QSI.Node.Tests;

/// <summary>
/// A network trained here, taken out through ONNX and brought back, classifies through the protocol
/// exactly as before: <c>qsi train</c>, then <c>qsi export</c> and <c>qsi import</c>, and also the same
/// weights in the MatMul+Add graph PyTorch's exporter writes (built by the tests' own ONNX writer),
/// then <c>qsi infer</c> on each with the same seed and test images.
/// </summary>
/// <remarks>
/// ONNX initializers are float32 like QSIM's parameters, so the weights come back bit for bit (asserted)
/// and the same seed draws the same noise: the secure accuracies must be equal, not merely within the
/// binomial standard error sqrt(p(1 - p)/n) (0.03 at the p = 0.91, n = 80 of this test) that separates runs of different seeds.
/// </remarks>
public sealed class OnnxInferenceTests(ITestOutputHelper output) : IDisposable
{
    private const int TestImages = 80;
    private const double Chance = 1.0 / SyntheticMnist.Classes;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_model_through_onnx_has_the_secure_accuracy_of_the_model_trained_here()
    {
        var data = SyntheticMnist.WriteUnder(_temp, trainImages: 240, testImages: TestImages);
        var trained = _temp.Combine("trained.qsim");
        var train = Qsi.Run("train", "--hidden", "16", "--epochs", "2", "--batch", "16", "--bias", "--seed", "3",
            "--out", trained, "--data", data, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);

        var onnx = _temp.Combine("trained.onnx");
        var exported = Qsi.Run("export", trained, "--out", onnx);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        var roundTrip = _temp.Combine("round-trip.qsim");
        var imported = Qsi.Run("import", onnx, "--out", roundTrip);
        Assert.True(imported.ExitCode == 0, imported.Stderr);

        var torchOnnx = _temp.Combine("torch.onnx");
        File.WriteAllBytes(torchOnnx, TorchStyleOnnx.MatMul(Linears(ModelFile.Load(trained))).ToByteArray());
        var fromTorch = _temp.Combine("torch.qsim");
        var torchImport = Qsi.Run("import", torchOnnx, "--out", fromTorch, "--json");
        Assert.True(torchImport.ExitCode == 0, torchImport.Stderr);
        Assert.Equal("pytorch 2.5.1", torchImport.Json.GetProperty("producer").GetString());

        Assert.Equal(File.ReadAllBytes(trained), File.ReadAllBytes(roundTrip));
        Assert.Equal(File.ReadAllBytes(trained), File.ReadAllBytes(fromTorch));

        var here = Infer(trained, data);
        var back = Infer(roundTrip, data);
        var torch = Infer(fromTorch, data);

        output.WriteLine($"trained here {here}, through qsi export and import {back}, from the PyTorch-shaped graph {torch}");
        Assert.Equal(TestImages, here.Images);
        Assert.True(here.Secure > Chance + 0.2, $"secure accuracy {here.Secure} is too near chance for the comparison to mean anything");
        Assert.Equal(here, back);
        Assert.Equal(here, torch);
    }

    private static (double Digital, double Secure, int Images, double AcceptRate) Infer(string model, string data)
    {
        var run = Qsi.Run("infer", "--model", model, "--photons", "4", "--gain", "2", "--seed", "5",
            "--limit", TestImages.ToString(), "--data", data, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = run.Json;
        Assert.Equal(model, report.GetProperty("model").GetString());
        return (
            report.GetProperty("digitalAccuracy").GetDouble(),
            report.GetProperty("secureAccuracy").GetDouble(),
            report.GetProperty("images").GetInt32(),
            report.GetProperty("verifier").GetProperty("acceptRate").GetDouble());
    }

    private static TorchStyleOnnx.Linear[] Linears(Mlp network) =>
        network.Layers.Select(l => new TorchStyleOnnx.Linear(l.Rows, l.Columns, l.Weights, l.Bias!)).ToArray();
}
