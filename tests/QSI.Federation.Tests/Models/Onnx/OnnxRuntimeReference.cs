using Microsoft.ML.OnnxRuntime;

namespace QSI.Federation.Tests.Models.Onnx;

/// <summary>Runs an ONNX model through ONNX Runtime, the independent engine the import and export are checked against.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>
    /// The model's single output for a batch of samples, one row per sample; the input is shaped
    /// [samples, width], or [samples, 1, width] when <paramref name="middleAxis"/> is set.
    /// </summary>
    public static float[][] Run(byte[] model, float[][] samples, bool middleAxis = false)
    {
        using var session = new InferenceSession(model);
        int width = samples[0].Length;
        long[] shape = middleAxis ? [samples.Length, 1, width] : [samples.Length, width];
        using var input = OrtValue.CreateTensorValueFromMemory(samples.SelectMany(s => s).ToArray(), shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
        var flat = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        int classes = flat.Length / samples.Length;
        return Enumerable.Range(0, samples.Length).Select(i => flat[(i * classes)..((i + 1) * classes)]).ToArray();
    }
}
