using Google.Protobuf;
using QSI.Federation.Models;
using QSI.Federation.Models.Onnx;
using QSI.Federation.Tests.Models.Onnx;

namespace QSI.Node.Tests;

/// <summary>
/// <c>qsi export</c> and <c>qsi import</c>: a QSIM model goes to ONNX and back to the same bytes, the
/// PyTorch-shaped fixtures import, the JSON report has its fields, and every user mistake is one line
/// with exit code 2 that leaves no file behind.
/// </summary>
public sealed class ModelConversionTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Export_then_import_gives_back_the_same_model_file()
    {
        var model = SaveModel([784, 12, 6, 10], bias: true, seed: 11);
        var onnx = _temp.Combine("out", "m.onnx");
        var back = _temp.Combine("back", "m.qsim");

        var export = Qsi.Run("export", model, "--out", onnx, "--json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal("", export.Stderr);
        var import = Qsi.Run("import", onnx, "--out", back, "--json");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal("", import.Stderr);

        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(back));
        Assert.Equal(OnnxModel.Serialize(ModelFile.Load(model)), File.ReadAllBytes(onnx));
        long parameters = (784 * 12) + 12 + (12 * 6) + 6 + (6 * 10) + 10;
        var exported = export.Json;
        Assert.Equal(model, exported.GetProperty("source").GetString());
        Assert.Equal(onnx, exported.GetProperty("out").GetString());
        Assert.Equal([784, 12, 6, 10], exported.GetProperty("layers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(parameters, exported.GetProperty("parameters").GetInt64());
        Assert.True(exported.GetProperty("bias").GetBoolean());
        Assert.Equal(OnnxModel.Opset, exported.GetProperty("opset").GetInt64());
        Assert.Equal("qsi", exported.GetProperty("producer").GetString());
        var imported = import.Json;
        Assert.Equal(onnx, imported.GetProperty("source").GetString());
        Assert.Equal(back, imported.GetProperty("out").GetString());
        Assert.Equal([784, 12, 6, 10], imported.GetProperty("layers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(parameters, imported.GetProperty("parameters").GetInt64());
        Assert.True(imported.GetProperty("bias").GetBoolean());
        Assert.Equal(OnnxModel.Opset, imported.GetProperty("opset").GetInt64());
        Assert.StartsWith("qsi ", imported.GetProperty("producer").GetString());
    }

    [Fact]
    public void A_network_without_biases_round_trips_and_reports_no_bias()
    {
        var model = SaveModel([20, 5, 3], bias: false, seed: 4);
        var onnx = _temp.Combine("nobias.onnx");
        var back = _temp.Combine("nobias-back.qsim");

        var export = Qsi.Run("export", model, "--out", onnx, "--json");
        var import = Qsi.Run("import", onnx, "--out", back, "--json");

        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.False(export.Json.GetProperty("bias").GetBoolean());
        Assert.False(import.Json.GetProperty("bias").GetBoolean());
        Assert.Equal((20 * 5) + (5 * 3), import.Json.GetProperty("parameters").GetInt64());
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(back));
    }

    [Fact]
    public void Without_out_the_file_is_written_beside_the_source_with_the_other_extension()
    {
        var model = SaveModel([30, 4, 3], bias: true, seed: 2);

        var export = Qsi.Run("export", model);
        var onnx = Path.ChangeExtension(model, ".onnx");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal($"{onnx}: 30-4-3, 139 parameters, from {model} (ONNX opset {OnnxModel.Opset})", export.Stdout.TrimEnd());

        File.Delete(model);
        var import = Qsi.Run("import", onnx);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal($"{model}: 30-4-3, 139 parameters, from {onnx} (ONNX opset {OnnxModel.Opset})", import.Stdout.TrimEnd());
        Assert.True(File.Exists(model));
    }

    [Theory]
    [InlineData("mlp-16-8-3.onnx")]
    [InlineData("mlp-16-8-3-matmul.onnx")]
    public void A_pytorch_shaped_graph_imports_with_its_producer_and_opset(string fixture)
    {
        var back = _temp.Combine("torch.qsim");

        var import = Qsi.Run("import", Path.Combine(Fixtures, fixture), "--out", back, "--json");

        Assert.True(import.ExitCode == 0, import.Stderr);
        var report = import.Json;
        Assert.Equal(TorchStyleOnnx.Sizes, report.GetProperty("layers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal((16 * 8) + 8 + (8 * 3) + 3, report.GetProperty("parameters").GetInt64());
        Assert.True(report.GetProperty("bias").GetBoolean());
        Assert.Equal(17, report.GetProperty("opset").GetInt64());
        Assert.Equal("pytorch 2.5.1", report.GetProperty("producer").GetString());
        var layers = TorchStyleOnnx.LinearLayers(TorchStyleOnnx.Sizes, new Random(TorchStyleOnnx.Seed));
        var network = ModelFile.Load(back);
        for (int l = 0; l < layers.Length; l++)
        {
            Assert.Equal(layers[l].Weight, network.Layers[l].Weights);
            Assert.Equal(layers[l].Bias, network.Layers[l].Bias);
        }
    }

    [Fact]
    public void A_missing_file_is_one_line_naming_it()
    {
        var missing = _temp.Combine("nope.onnx");

        var import = Qsi.AssertUsageError(Qsi.Run("import", missing, "--out", _temp.Combine("x.qsim")));
        var export = Qsi.AssertUsageError(Qsi.Run("export", _temp.Combine("nope.qsim"), "--out", _temp.Combine("x.onnx")));

        Assert.Equal($"qsi: error: {missing}: file not found", import);
        Assert.Equal($"qsi: error: Model file '{_temp.Combine("nope.qsim")}': file not found", export);
        AssertNothingWritten();
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_one_line_saying_so()
    {
        var text = _temp.Combine("notes.onnx");
        File.WriteAllText(text, "these are not the weights you are looking for\n");
        var qsim = SaveModel([8, 3], bias: true, seed: 1);

        var fromText = Qsi.AssertUsageError(Qsi.Run("import", text, "--out", _temp.Combine("a.qsim")));
        var fromQsim = Qsi.AssertUsageError(Qsi.Run("import", qsim, "--out", _temp.Combine("b.qsim")));
        var onnxToExport = Qsi.AssertUsageError(Qsi.Run("export", Path.Combine(Fixtures, "mlp-16-8-3.onnx"), "--out", _temp.Combine("c.onnx")));

        Assert.StartsWith($"qsi: error: {text}: not an ONNX model", fromText);
        Assert.StartsWith($"qsi: error: {qsim}: not an ONNX model", fromQsim);
        Assert.Contains("not a QSI model", onnxToExport);
        Assert.False(File.Exists(_temp.Combine("a.qsim")));
        Assert.False(File.Exists(_temp.Combine("b.qsim")));
        Assert.False(File.Exists(_temp.Combine("c.onnx")));
    }

    [Fact]
    public void A_conv_graph_is_refused_naming_the_conv_node()
    {
        var conv = Path.Combine(Fixtures, "conv-mlp.onnx");
        var out_ = _temp.Combine("conv.qsim");

        var line = Qsi.AssertUsageError(Qsi.Run("import", conv, "--out", out_));

        Assert.StartsWith($"qsi: error: {conv}: node '/0/Conv' (Conv) is not supported: ", line);
        Assert.Contains("Gemm, MatMul", line);
        Assert.False(File.Exists(out_));
    }

    [Fact]
    public void A_sigmoid_between_layers_is_refused_naming_the_first_sigmoid()
    {
        var layers = TorchStyleOnnx.LinearLayers([16, 8, 8, 3], new Random(5));
        var graph = TorchStyleOnnx.Gemm(layers);
        foreach (var relu in graph.Graph.Node.Where(n => n.OpType == "Relu"))
        {
            relu.OpType = "Sigmoid";
            relu.Name = relu.Name.Replace("Relu", "Sigmoid");
        }

        var path = _temp.Combine("sigmoid.onnx");
        File.WriteAllBytes(path, graph.ToByteArray());
        var out_ = _temp.Combine("sigmoid.qsim");

        var line = Qsi.AssertUsageError(Qsi.Run("import", path, "--out", out_, "--json"));

        Assert.StartsWith($"qsi: error: {path}: node '/1/Sigmoid' (Sigmoid) is not supported: ", line);
        Assert.False(File.Exists(out_));
    }

    [Fact]
    public void An_existing_out_file_is_replaced_but_the_source_itself_is_refused()
    {
        var model = SaveModel([10, 4, 3], bias: true, seed: 8);
        var onnx = _temp.Combine("m.onnx");
        File.WriteAllText(onnx, "an older export");

        var replace = Qsi.Run("export", model, "--out", onnx);
        var self = Qsi.AssertUsageError(Qsi.Run("import", onnx, "--out", onnx));
        var directory = Qsi.AssertUsageError(Qsi.Run("import", onnx, "--out", _temp.Path));

        Assert.True(replace.ExitCode == 0, replace.Stderr);
        Assert.Equal(OnnxModel.Serialize(ModelFile.Load(model)), File.ReadAllBytes(onnx));
        Assert.Equal($"qsi: error: --out {onnx}: is the file being read; give another path", self);
        Assert.Equal($"qsi: error: --out {_temp.Path}: is a directory; give the path of the file to write", directory);
        Assert.Equal(OnnxModel.Serialize(ModelFile.Load(model)), File.ReadAllBytes(onnx));
    }

    [Theory]
    [InlineData("import", "Gemm or MatMul(+Add)", ".qsim")]
    [InlineData("export", "Gemm and Relu", ".onnx")]
    public void Help_says_what_the_command_takes_and_where_it_writes(string command, string graph, string extension)
    {
        var run = Qsi.Run(command, "--help");

        // Help wraps to the terminal's width, so words are compared with the line breaks taken out.
        var help = string.Join(' ', run.Stdout.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Contains("<FILE>", help);
        Assert.Contains("--out <FILE>", help);
        Assert.Contains("--json", help);
        Assert.Contains(graph, help);
        Assert.Contains($"the extension {extension}", help);
    }

    [Fact]
    public void A_missing_file_argument_is_a_usage_error()
    {
        var line = Qsi.AssertUsageError(Qsi.Run("import"));

        Assert.Contains("FILE", line);
    }

    private string SaveModel(int[] sizes, bool bias, int seed)
    {
        var path = _temp.Combine("models", $"m{string.Join('-', sizes)}.qsim");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ModelFile.Save(Mlp.Create(sizes, bias, new Random(seed)), path);
        return path;
    }

    private void AssertNothingWritten() =>
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
}
