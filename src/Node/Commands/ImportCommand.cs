using QSI.Federation.Models;
using QSI.Federation.Models.Onnx;
using QSI.Node.Output;

namespace QSI.Node.Commands;

/// <summary><c>qsi import</c>: turns an ONNX multilayer perceptron (as PyTorch exports it) into a QSIM model file.</summary>
internal sealed class ImportCommand(Terminal terminal) : ModelConversionCommand(
    terminal,
    "import",
    "Turn an ONNX MLP (torch.onnx.export of nn.Linear and nn.ReLU layers) into a QSIM model for train, infer and serve.",
    "ONNX: Gemm or MatMul(+Add) layers with Relu between them, weights in initializers",
    "QSIM",
    ".qsim")
{
    protected override (Mlp Network, long Opset, string Producer) Convert(string source, string outPath)
    {
        OnnxNetwork imported;
        try
        {
            imported = OnnxModel.Import(source);
        }
        catch (OnnxModelException ex)
        {
            throw new UserError(ex.Message, ex);
        }

        OutputFiles.Write(outPath, path => ModelFile.Save(imported.Network, path));
        return (imported.Network, imported.Opset, imported.Producer);
    }
}
