namespace QSI.Federation.Models.Onnx;

/// <summary>A network read from an ONNX file, with what the file says about where it came from.</summary>
/// <param name="Network">The multilayer perceptron the graph computes.</param>
/// <param name="Opset">Version of the default ("ai.onnx") operator set the graph was written for; 0 when the file names none.</param>
/// <param name="Producer">The tool that wrote the file and its version, e.g. "pytorch 2.5.1"; empty when unnamed.</param>
public sealed record OnnxNetwork(Mlp Network, long Opset, string Producer);
