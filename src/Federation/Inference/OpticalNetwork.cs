using QSI.Federation.Models;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Inference;

/// <summary>
/// A network as the server encodes it: each layer's weights, with a bias folded in as one
/// more column that the client multiplies by a constant 1 (a bias is a weight on a constant input).
/// </summary>
public sealed class OpticalNetwork
{
    private readonly (float[] Weights, int Rows, int Columns)[] _layers;
    private readonly DenseLayer[] _dense;
    private readonly Dictionary<(int Layer, bool Transposed, double Photons), FrameEncoding> _shared = [];

    /// <summary>Prepares <paramref name="model"/> for encoding.</summary>
    public OpticalNetwork(Mlp model)
    {
        _dense = model.Layers.ToArray();
        _layers = _dense.Select(Prepare).ToArray();
        HasBias = model.Layers.Any(l => l.Bias is not null);
    }

    /// <summary>Number of layers.</summary>
    public int Depth => _layers.Length;

    /// <summary>True when some layer carries a bias column.</summary>
    public bool HasBias { get; }

    /// <summary>Real inputs of layer l, including the constant input of a bias.</summary>
    public int Columns(int layer) => _layers[layer].Columns;

    /// <summary>Encodes every layer at <paramref name="photons"/> as <paramref name="copies"/> copies.</summary>
    public EncodedLayer[] Encode(double photons, int copies) =>
        _layers.Select(l => WeightEncoder.Encode(l.Weights, l.Rows, l.Columns, photons, copies)).ToArray();

    /// <summary>Encodes layer <paramref name="layer"/> (bias column included) as <paramref name="copies"/> copies.</summary>
    public EncodedLayer EncodeLayer(int layer, double photons, int copies)
    {
        var (weights, rows, columns) = _layers[layer];
        return WeightEncoder.Encode(weights, rows, columns, photons, copies);
    }

    /// <summary>
    /// Encodes W_l^T, without the bias, as <paramref name="copies"/> copies: the frame of the
    /// backward products W_l^T delta of training (PROTOCOL.md section 6).
    /// </summary>
    public EncodedLayer EncodeTransposedLayer(int layer, double photons, int copies)
    {
        var dense = _dense[layer];
        return WeightEncoder.EncodeTransposed(dense.Weights, dense.Rows, dense.Columns, photons, copies);
    }

    /// <summary>
    /// Layer <paramref name="layer"/> (or its transpose) encoded once at <paramref name="photons"/>
    /// for every frame issued of it while this network lasts: the clients of a round share one
    /// encoding, each with frames of its own (<see cref="FrameEncoding.Issue"/>).
    /// </summary>
    public FrameEncoding SharedLayer(int layer, bool transposed, double photons)
    {
        lock (_shared)
        {
            if (_shared.TryGetValue((layer, transposed, photons), out var encoding)) return encoding;
            var dense = _dense[layer];
            var (weights, rows, columns) = _layers[layer];
            encoding = transposed
                ? WeightEncoder.PrepareTransposed(dense.Weights, dense.Rows, dense.Columns, photons)
                : WeightEncoder.Prepare(weights, rows, columns, photons);
            return _shared[(layer, transposed, photons)] = encoding;
        }
    }

    private static (float[], int, int) Prepare(DenseLayer layer)
    {
        if (layer.Bias is null) return (layer.Weights, layer.Rows, layer.Columns);
        var columns = layer.Columns + 1;
        var weights = new float[layer.Rows * columns];
        for (var i = 0; i < layer.Rows; i++)
        {
            layer.Row(i).CopyTo(weights.AsSpan(i * columns, layer.Columns));
            weights[i * columns + layer.Columns] = layer.Bias[i];
        }
        return (weights, layer.Rows, columns);
    }
}
