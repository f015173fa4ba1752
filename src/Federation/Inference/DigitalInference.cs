using System.Diagnostics;
using System.Numerics.Tensors;
using QSI.Federation.Data;
using QSI.Federation.Models;

namespace QSI.Federation.Inference;

/// <summary>Accuracy and throughput of the same network evaluated digitally, in the clear.</summary>
/// <param name="Images">Images classified.</param>
/// <param name="Correct">Images classified correctly.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record DigitalInferenceReport(int Images, int Correct, TimeSpan Elapsed)
{
    /// <summary>Fraction classified correctly.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Images / Elapsed.TotalSeconds;
}

/// <summary>
/// Digital inference one query at a time, parallel over images exactly as
/// <see cref="SecureInference"/> is, so that the two throughputs compare like for like.
/// </summary>
public static class DigitalInference
{
    /// <summary>Classifies <paramref name="images"/> with <paramref name="model"/>.</summary>
    public static DigitalInferenceReport Run(Mlp model, LabeledImages images, int imagesPerBatch = 250, int parallelism = 0)
    {
        var batches = (images.Count + imagesPerBatch - 1) / imagesPerBatch;
        var correct = new int[batches];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount }, b =>
        {
            var input = new float[images.PixelsPerImage];
            var logits = new float[model.OutputSize];
            var workspace = new MlpWorkspace(model.MaxWidth);
            var labels = images.Labels.Span;
            var end = Math.Min(images.Count, (b + 1) * imagesPerBatch);
            for (var k = b * imagesPerBatch; k < end; k++)
            {
                images.CopyNormalizedInput(k, input);
                model.Forward(input, logits, workspace);
                if (TensorPrimitives.IndexOfMax(logits) == labels[k]) correct[b]++;
            }
        });
        clock.Stop();
        return new DigitalInferenceReport(images.Count, correct.Sum(), clock.Elapsed);
    }
}
