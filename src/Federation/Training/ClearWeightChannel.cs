using System.Numerics.Tensors;
using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>
/// The plain baseline: the client holds the global model in the clear and trains its local copy
/// W + ΔW directly, one matrix product per layer, as ordinary federated learning does.
/// </summary>
public sealed class ClearWeightChannel(Mlp model) : IWeightChannel
{
    private readonly DenseLayer[] _local = model.Layers.Select(l => l.Clone()).ToArray();

    /// <inheritdoc/>
    public void Forward(int layer, DenseLayer? change, float[] inputs, int count, float[] outputs) =>
        DenseKernels.Forward(Local(layer, change), inputs, count, outputs, relu: false);

    /// <inheritdoc/>
    public void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs) =>
        DenseKernels.BackwardDelta(Local(layer, change), deltas, activation: null, count, outputs);

    /// <summary>W_l + ΔW_l, refreshed from the global weights and the client's current change.</summary>
    private DenseLayer Local(int layer, DenseLayer? change)
    {
        var global = model.Layers[layer];
        if (change is null) return global;
        var local = _local[layer];
        TensorPrimitives.Add(global.Weights, change.Weights, local.Weights);
        if (local.Bias is not null) TensorPrimitives.Add(global.Bias!, change.Bias!, local.Bias);
        return local;
    }
}
