using QSI.Federation.Models;
using QSI.Federation.Models.Onnx;
using QSI.Node.Output;

namespace QSI.Node.Commands;

/// <summary><c>qsi export</c>: writes a QSIM model as ONNX (Gemm and Relu nodes, float32 initializers).</summary>
internal sealed class ExportCommand(Terminal terminal) : ModelConversionCommand(
    terminal,
    "export",
    $"Write a QSIM model as ONNX (opset {OnnxModel.Opset}: Gemm and Relu nodes, float32 initializers named like PyTorch's).",
    "QSIM, as written by 'qsi train' or 'qsi import'",
    "ONNX",
    ".onnx")
{
    protected override (Mlp Network, long Opset, string Producer) Convert(string source, string outPath)
    {
        var network = ModelFile.Load(source);
        OutputFiles.Write(outPath, path => OnnxModel.Export(network, path));
        return (network, OnnxModel.Opset, "qsi");
    }
}
