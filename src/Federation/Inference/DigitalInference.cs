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
/// Digital inference one query at a time or in batches, parallel over images exactly as
/// <see cref="SecureInference"/> is, so that the two throughputs compare like for like.
/// </summary>
public static class DigitalInference
{
    /// <summary>
    /// Classifies <paramref name="images"/> with <paramref name="model"/>, <paramref name="batch"/>
    /// images through each product (1: one query at a time).
    /// </summary>
    public static DigitalInferenceReport Run(Mlp model, LabeledImages images, int imagesPerBatch = 250, int parallelism = 0, int batch = 1)
    {
        var batches = (images.Count + imagesPerBatch - 1) / imagesPerBatch;
        var correct = new int[batches];
        batch = Math.Clamp(batch, 1, imagesPerBatch);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount }, b =>
        {
            var end = Math.Min(images.Count, (b + 1) * imagesPerBatch);
            correct[b] = batch == 1 ? OneAtATime(model, images, b * imagesPerBatch, end) : Batched(model, images, b * imagesPerBatch, end, batch);
        });
        clock.Stop();
        return new DigitalInferenceReport(images.Count, correct.Sum(), clock.Elapsed);
    }

    private static int OneAtATime(Mlp model, LabeledImages images, int start, int end)
    {
        var input = new float[images.PixelsPerImage];
        var logits = new float[model.OutputSize];
        var workspace = new MlpWorkspace(model.MaxWidth);
        var labels = images.Labels.Span;
        var correct = 0;
        for (var k = start; k < end; k++)
        {
            images.CopyNormalizedInput(k, input);
            model.Forward(input, logits, workspace);
            if (TensorPrimitives.IndexOfMax(logits) == labels[k]) correct++;
        }
        return correct;
    }

    private static int Batched(Mlp model, LabeledImages images, int start, int end, int batch)
    {
        var n = images.PixelsPerImage;
        var inputs = new float[batch * n];
        var workspace = new MlpBatchWorkspace(model, batch);
        var labels = images.Labels.Span;
        var classes = model.OutputSize;
        var correct = 0;
        for (var first = start; first < end; first += batch)
        {
            var count = Math.Min(batch, end - first);
            for (var q = 0; q < count; q++) images.CopyNormalizedInput(first + q, inputs.AsSpan(q * n, n));
            model.ForwardBatch(inputs, count, workspace);
            for (var q = 0; q < count; q++)
                if (TensorPrimitives.IndexOfMax(workspace.Logits.AsSpan(q * classes, classes)) == labels[first + q]) correct++;
        }
        return correct;
    }
}
