using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>
/// Computes the mean softmax cross-entropy of a mini-batch and its gradient with respect to every
/// parameter of an <see cref="Mlp"/>. Activation, delta and gradient buffers are allocated once for
/// the largest batch; a step only creates the few small objects of its Parallel.For calls (about
/// 11 KB). Not safe for concurrent use.
/// </summary>
public sealed class Backpropagation
{
    private readonly MlpBatchWorkspace _workspace;
    private readonly float[][] _deltas;
    private readonly float[][] _weightGradients;
    private readonly float[]?[] _biasGradients;
    private readonly float[] _deltaTransposed;

    /// <summary>Prepares buffers for <paramref name="model"/> and batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    public Backpropagation(Mlp model, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _workspace = new MlpBatchWorkspace(model, maxBatchSize);
        _deltas = model.Layers.Select(layer => new float[maxBatchSize * layer.Rows]).ToArray();
        _weightGradients = model.Layers.Select(layer => new float[layer.Weights.Length]).ToArray();
        _biasGradients = model.Layers.Select(layer => layer.Bias is null ? null : new float[layer.Rows]).ToArray();
        _deltaTransposed = new float[maxBatchSize * model.MaxWidth];
        Gradients = _weightGradients.Zip(_biasGradients)
            .SelectMany(pair => pair.Second is null ? new[] { pair.First } : [pair.First, pair.Second])
            .ToArray();
    }

    /// <summary>The network whose parameters are differentiated.</summary>
    public Mlp Model { get; }

    /// <summary>Largest batch accepted.</summary>
    public int MaxBatchSize => _workspace.Capacity;

    /// <summary>Gradient arrays in the order of <see cref="Mlp.Parameters"/>, valid after <see cref="Compute"/>.</summary>
    public IReadOnlyList<float[]> Gradients { get; }

    /// <summary>Gradient of the weights of layer <paramref name="layer"/>, row-major like the weights.</summary>
    public float[] WeightGradient(int layer) => _weightGradients[layer];

    /// <summary>Gradient of the bias of layer <paramref name="layer"/>, or null if it has none.</summary>
    public float[]? BiasGradient(int layer) => _biasGradients[layer];

    /// <summary>
    /// Runs forward and backward over the first <paramref name="count"/> samples and fills
    /// <see cref="Gradients"/> with d(mean loss)/d(parameter).
    /// </summary>
    /// <param name="inputs">Row-major count x input-size features.</param>
    /// <param name="labels">Class index of each sample.</param>
    /// <param name="count">Samples in the batch, 1..<see cref="MaxBatchSize"/>.</param>
    /// <returns>The mean cross-entropy of the batch before the update.</returns>
    public double Compute(ReadOnlyMemory<float> inputs, ReadOnlySpan<byte> labels, int count)
    {
        if (count < 1 || count > MaxBatchSize || labels.Length < count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Batch of {count} samples with {labels.Length} labels does not fit 1..{MaxBatchSize}.");
        }

        IReadOnlyList<DenseLayer> layers = Model.Layers;
        int last = layers.Count - 1;
        Model.ForwardBatch(inputs, count, _workspace);
        double loss = SoftmaxCrossEntropy.LossAndGradient(
            _workspace.Logits, labels, count, Model.OutputSize, _deltas[last]);

        for (int l = last; l >= 0; l--)
        {
            ReadOnlyMemory<float> layerInput = l == 0 ? inputs : _workspace.Activation(l - 1);
            DenseKernels.WeightGradient(
                layers[l], _deltas[l], layerInput, count, _weightGradients[l], _biasGradients[l], _deltaTransposed);
            if (l > 0)
            {
                // The network's input needs no gradient, which spares the first layer's largest product.
                DenseKernels.BackwardDelta(layers[l], _deltas[l], _workspace.Activation(l - 1), count, _deltas[l - 1]);
            }
        }

        return loss;
    }
}
