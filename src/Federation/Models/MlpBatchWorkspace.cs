namespace QSI.Federation.Models;

/// <summary>
/// Per-layer outputs of a batched forward pass for up to <see cref="Capacity"/> samples.
/// Training keeps them because backpropagation needs every layer's activation; evaluation just
/// reads the logits. Not safe for concurrent use.
/// </summary>
public sealed class MlpBatchWorkspace
{
    private readonly float[][] _activations;

    /// <summary>Allocates buffers for <paramref name="model"/> and batches of up to <paramref name="capacity"/> samples.</summary>
    public MlpBatchWorkspace(Mlp model, int capacity)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if ((long)capacity * model.MaxWidth > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "Batch buffers would not fit in one array.");
        }

        Capacity = capacity;
        _activations = model.Layers.Select(layer => new float[capacity * layer.Rows]).ToArray();
    }

    /// <summary>Largest batch these buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>Number of layers the workspace was built for.</summary>
    public int LayerCount => _activations.Length;

    /// <summary>
    /// Output of layer <paramref name="layer"/> for the last batch, row-major count x width:
    /// after ReLU for hidden layers, raw logits for the last one.
    /// </summary>
    public float[] Activation(int layer) => _activations[layer];

    /// <summary>Whether the buffers match the layer widths of <paramref name="model"/>.</summary>
    public bool Fits(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Layers.Count != _activations.Length)
        {
            return false;
        }

        // A plain loop rather than LINQ: this runs on every training step.
        for (int l = 0; l < _activations.Length; l++)
        {
            if (model.Layers[l].Rows * Capacity != _activations[l].Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Logits of the last batch, row-major count x classes (only the first count rows are valid).</summary>
    public float[] Logits => _activations[^1];
}
