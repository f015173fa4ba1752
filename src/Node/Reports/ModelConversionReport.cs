namespace QSI.Node.Reports;

/// <summary>The result of <c>qsi import</c> and <c>qsi export</c>.</summary>
/// <param name="Source">Full path of the file read.</param>
/// <param name="Out">Full path of the file written.</param>
/// <param name="Layers">Layer widths, input first, e.g. [784, 32, 10].</param>
/// <param name="Parameters">Number of weights and biases.</param>
/// <param name="Bias">Whether every layer has a bias vector.</param>
/// <param name="Opset">ONNX operator set of the ONNX side of the conversion.</param>
/// <param name="Producer">Tool and version named by the ONNX file ("qsi ..." for an export).</param>
internal sealed record ModelConversionReport(
    string Source,
    string Out,
    int[] Layers,
    long Parameters,
    bool Bias,
    long Opset,
    string Producer);
