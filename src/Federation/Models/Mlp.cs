using System.Numerics.Tensors;

namespace QSI.Federation.Models;

/// <summary>
/// A multilayer perceptron: dense layers with ReLU between them and a linear last layer that
/// produces logits (softmax is applied by the loss, not by the network).
/// Inference may run on many threads at once; changing the weights (training, loading) must not
/// overlap with it.
/// </summary>
public sealed class Mlp
{
    // One scratch per thread keeps the convenience Forward overload allocation-free and thread-safe.
    [ThreadStatic]
    private static MlpWorkspace? t_workspace;

    private readonly DenseLayer[] _layers;
    private readonly float[][] _parameters;

    /// <summary>Builds a network from layers whose sizes chain (each layer's inputs = previous layer's outputs).</summary>
    public Mlp(IEnumerable<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int l = 1; l < _layers.Length; l++)
        {
            if (_layers[l].Columns != _layers[l - 1].Rows)
            {
                throw new ArgumentException(
                    $"Layer {l} expects {_layers[l].Columns} inputs but layer {l - 1} produces {_layers[l - 1].Rows}.",
                    nameof(layers));
            }
        }

        MaxWidth = _layers.Max(layer => layer.Rows);
        _parameters = _layers
            .SelectMany(layer => layer.Bias is null ? new[] { layer.Weights } : [layer.Weights, layer.Bias])
            .ToArray();
    }

    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Number of input features.</summary>
    public int InputSize => _layers[0].Columns;

    /// <summary>Number of logits (classes).</summary>
    public int OutputSize => _layers[^1].Rows;

    /// <summary>Widest layer output; the size a <see cref="MlpWorkspace"/> needs.</summary>
    public int MaxWidth { get; }

    /// <summary>Total number of trainable parameters.</summary>
    public long ParameterCount => _layers.Sum(layer => (long)layer.ParameterCount);

    /// <summary>
    /// Every parameter array in a fixed order: layer 0 weights, layer 0 bias (if any), layer 1 weights, ...
    /// Optimisers and gradients use the same order.
    /// </summary>
    public IReadOnlyList<float[]> Parameters => _parameters;

    /// <summary>Layer sizes from input to output, e.g. [784, 784, 10].</summary>
    public int[] Sizes => [InputSize, .. _layers.Select(layer => layer.Rows)];

    /// <summary>
    /// Creates a randomly initialised network with PyTorch's default <c>nn.Linear</c> initialisation.
    /// </summary>
    /// <param name="sizes">Input size followed by each layer's output size, e.g. [784, 784, 10].</param>
    /// <param name="bias">Whether layers get bias vectors (the reference network has none).</param>
    /// <param name="rng">Source of randomness for the initial weights.</param>
    public static Mlp Create(int[] sizes, bool bias, Random rng)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (sizes.Length < 2)
        {
            throw new ArgumentException("Need an input size and at least one layer size.", nameof(sizes));
        }

        var layers = new DenseLayer[sizes.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new DenseLayer(sizes[l + 1], sizes[l], bias);
            layers[l].InitializeUniform(rng);
        }

        return new Mlp(layers);
    }

    /// <summary>Computes the logits of one sample using this thread's cached scratch.</summary>
    /// <param name="input">Feature vector of length <see cref="InputSize"/>.</param>
    /// <param name="logits">Receives <see cref="OutputSize"/> logits.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> logits)
    {
        var workspace = t_workspace;
        if (workspace is null || workspace.MaxWidth < MaxWidth)
        {
            workspace = t_workspace = new MlpWorkspace(MaxWidth);
        }

        Forward(input, logits, workspace);
    }

    /// <summary>Computes the logits of one sample using caller-owned scratch; allocation-free.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> logits, MlpWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.MaxWidth < MaxWidth)
        {
            throw new ArgumentException($"Workspace holds {workspace.MaxWidth} values, the network needs {MaxWidth}.", nameof(workspace));
        }

        ReadOnlySpan<float> current = input;
        bool front = true;
        for (int l = 0; l < _layers.Length - 1; l++)
        {
            Span<float> next = (front ? workspace.Front : workspace.Back).AsSpan(0, _layers[l].Rows);
            _layers[l].Forward(current, next);
            TensorPrimitives.Max(next, 0f, next);
            current = next;
            front = !front;
        }

        _layers[^1].Forward(current, logits);
    }

    /// <summary>The most likely class of one sample (index of the largest logit).</summary>
    public int Predict(ReadOnlySpan<float> input)
    {
        Span<float> logits = OutputSize <= 256 ? stackalloc float[OutputSize] : new float[OutputSize];
        Forward(input, logits);
        return TensorPrimitives.IndexOfMax(logits);
    }

    /// <summary>
    /// Runs the first <paramref name="count"/> samples of <paramref name="inputs"/> (row-major count x
    /// <see cref="InputSize"/>; slice the memory to start elsewhere) through the network,
    /// leaving every layer's output in <paramref name="workspace"/>; the logits are in
    /// <see cref="MlpBatchWorkspace.Logits"/>.
    /// </summary>
    public void ForwardBatch(ReadOnlyMemory<float> inputs, int count, MlpBatchWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!workspace.Fits(this))
        {
            throw new ArgumentException("The workspace was built for a network of another shape.", nameof(workspace));
        }

        if (count < 0 || count > workspace.Capacity)
        {
            throw new ArgumentException($"Workspace for {workspace.Capacity} samples cannot run {count}.", nameof(count));
        }

        if ((long)count * InputSize > inputs.Length)
        {
            throw new ArgumentException($"{count} samples need {(long)count * InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        }

        ReadOnlyMemory<float> current = inputs;
        for (int l = 0; l < _layers.Length; l++)
        {
            float[] output = workspace.Activation(l);
            bool hidden = l < _layers.Length - 1;
            DenseKernels.Forward(_layers[l], current, count, output, relu: hidden);
            current = output;
        }
    }

    /// <summary>Fraction of samples whose predicted class equals the label.</summary>
    /// <param name="inputs">Row-major count x <see cref="InputSize"/> features.</param>
    /// <param name="labels">One class index per sample.</param>
    public double Evaluate(float[] inputs, byte[] labels) => new MlpEvaluator(this).Accuracy(inputs, labels);

    /// <summary>Accuracy and mean cross-entropy over the samples.</summary>
    /// <param name="inputs">Row-major count x <see cref="InputSize"/> features.</param>
    /// <param name="labels">One class index per sample.</param>
    public Evaluation EvaluateWithLoss(float[] inputs, byte[] labels) => new MlpEvaluator(this).Evaluate(inputs, labels);

    /// <summary>A deep copy with independent parameters.</summary>
    public Mlp Clone() => new(_layers.Select(layer => layer.Clone()));
}
