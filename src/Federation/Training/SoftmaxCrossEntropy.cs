using System.Numerics.Tensors;

namespace QSI.Federation.Training;

/// <summary>
/// Softmax followed by cross-entropy against integer class labels, the loss of the reference
/// experiment (PyTorch's <c>CrossEntropyLoss</c> with mean reduction).
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Mean loss over <paramref name="count"/> rows of logits, writing d(mean loss)/d(logits) =
    /// (softmax - one_hot) / count into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="logits">Row-major count x classes.</param>
    /// <param name="labels">At least count class indices.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="classes">Logits per sample.</param>
    /// <param name="gradient">Row-major count x classes; may not alias <paramref name="logits"/>.</param>
    public static double LossAndGradient(
        ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int count, int classes, Span<float> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        double total = 0.0;
        float scale = 1f / count;
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            Span<float> p = gradient.Slice(b * classes, classes);
            int label = CheckedLabel(labels[b], classes);

            // Shifting by the maximum keeps exp from overflowing; log-sum-exp gives the loss directly.
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum(p);
            total += Math.Log(sum) - (z[label] - max);

            TensorPrimitives.Multiply(p, scale / sum, p);
            p[label] -= scale;
        }

        return total / count;
    }

    /// <summary>Cross-entropy of one sample: <c>log(sum exp z) - z[label]</c>.</summary>
    public static double Loss(ReadOnlySpan<float> logits, int label)
    {
        int checkedLabel = CheckedLabel(label, logits.Length);
        float max = TensorPrimitives.Max(logits);
        double sum = 0.0;
        foreach (float z in logits)
        {
            sum += Math.Exp(z - max);
        }

        return Math.Log(sum) - (logits[checkedLabel] - max);
    }

    private static int CheckedLabel(int label, int classes) =>
        (uint)label < (uint)classes
            ? label
            : throw new ArgumentOutOfRangeException(nameof(label), $"Label {label} is not a class of a {classes}-way output.");
}
