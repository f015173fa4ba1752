using System.Numerics.Tensors;

namespace QSI.Federation.Models;

/// <summary>
/// Classification accuracy over a labelled set. Samples go through the batched kernels in chunks,
/// which reuse each block of weights across many samples instead of streaming the whole weight
/// matrix from memory once per sample.
/// </summary>
internal sealed class MlpEvaluator(Mlp model)
{
    private const int Chunk = 256;

    public double Accuracy(float[] inputs, byte[] labels) => Evaluate(inputs, labels).Accuracy;

    public Evaluation Evaluate(float[] inputs, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        int n = model.InputSize;
        if ((long)labels.Length * n != inputs.Length)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * n} input values, got {inputs.Length}.", nameof(inputs));
        }

        if (labels.Length == 0)
        {
            return new Evaluation(0, 0, 0);
        }

        var workspace = new MlpBatchWorkspace(model, Math.Min(Chunk, labels.Length));
        int classes = model.OutputSize;
        int correct = 0;
        double loss = 0;
        for (int start = 0; start < labels.Length; start += workspace.Capacity)
        {
            int count = Math.Min(workspace.Capacity, labels.Length - start);
            model.ForwardBatch(inputs.AsMemory(start * n, count * n), count, workspace);
            ReadOnlySpan<float> logits = workspace.Logits;
            for (int b = 0; b < count; b++)
            {
                var z = logits.Slice(b * classes, classes);
                if (TensorPrimitives.IndexOfMax(z) == labels[start + b])
                {
                    correct++;
                }

                loss += Training.SoftmaxCrossEntropy.Loss(z, labels[start + b]);
            }
        }

        return new Evaluation(labels.Length, correct, loss / labels.Length);
    }
}
