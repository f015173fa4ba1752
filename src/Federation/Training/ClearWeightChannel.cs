using System.Numerics.Tensors;
using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>The plain baseline: the client holds the global model and multiplies digitally, exactly.</summary>
public sealed class ClearWeightChannel(Mlp model) : IWeightChannel
{
    /// <inheritdoc/>
    public void Forward(int layer, float[] inputs, int count, float[] outputs) =>
        DenseKernels.Forward(model.Layers[layer], inputs, count, outputs, relu: false);

    /// <inheritdoc/>
    public void Backward(int layer, float[] deltas, int count, float[] outputs)
    {
        var dense = model.Layers[layer];
        outputs.AsSpan(0, count * dense.Columns).Clear();
        for (var b = 0; b < count; b++)
        {
            var target = outputs.AsSpan(b * dense.Columns, dense.Columns);
            var delta = deltas.AsSpan(b * dense.Rows, dense.Rows);
            for (var i = 0; i < dense.Rows; i++)
                if (delta[i] != 0f) TensorPrimitives.MultiplyAdd(dense.Row(i), delta[i], target, target);
        }
    }
}
