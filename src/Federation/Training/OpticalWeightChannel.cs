using System.Numerics.Tensors;
using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Training;

/// <summary>
/// The secure channel of federated training (PROTOCOL.md section 6): every product with W
/// measures one copy of a frame per sample, the layer's frame for W z and its transposed
/// frame for W^T delta, and keeps the returned light for the verifier, one whole per frame.
/// The client's own ΔW it applies in the clear: by linearity, (W + ΔW) z = frame(W) z + ΔW z.
/// An <paramref name="observer"/>, if any, sees each measurement's frame(W) z before ΔW z is added.
/// A device that keeps a frame's light records nothing for it.
/// </summary>
public sealed class OpticalWeightChannel(ModelShape shape, RoundFrames frames, IClientDevice device, NoiseSource noise,
    IMeasurementObserver? observer = null) : IWeightChannel
{
    private readonly Dictionary<FrameId, List<ReturnedLight>> _returned = [];
    private float[] _withBias = [];
    private float[] _own = [];

    /// <inheritdoc/>
    public void Forward(int layer, DenseLayer? change, float[] inputs, int count, float[] outputs)
    {
        Measure(layer, FrameOrientation.Forward, frames.Forward[layer], inputs, shape.Sizes[layer], count, outputs);
        if (change is null) return;
        var produced = Own(count * change.Rows);
        DenseKernels.Forward(change, inputs, count, produced, relu: false);
        TensorPrimitives.Add(outputs.AsSpan(0, count * change.Rows), produced.AsSpan(0, count * change.Rows), outputs);
    }

    /// <inheritdoc/>
    public void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs)
    {
        Measure(layer, FrameOrientation.Transposed, frames.Backward[layer] ?? throw new InvalidOperationException($"layer {layer} has no transposed frame"),
            deltas, shape.Sizes[layer + 1], count, outputs);
        if (change is null) return;
        var produced = Own(count * change.Columns);
        DenseKernels.BackwardDelta(change, deltas, activation: null, count, produced);
        TensorPrimitives.Add(outputs.AsSpan(0, count * change.Columns), produced.AsSpan(0, count * change.Columns), outputs);
    }

    private float[] Own(int length) => _own.Length >= length ? _own : _own = new float[length];

    /// <summary>
    /// The light returned so far, one combined whole per frame used, forward frames first and
    /// then transposed ones, each in layer order. The channel holds none afterwards.
    /// </summary>
    public IReadOnlyList<ReturnedLight> TakeResiduals()
    {
        var taken = frames.Forward.Concat(frames.Backward.OfType<CoherentFrame>())
            .Where(f => _returned.ContainsKey(f.Id))
            .Select(f => ReturnedLight.Combine(_returned[f.Id]))
            .ToArray();
        _returned.Clear();
        return taken;
    }

    private void Measure(int layer, FrameOrientation orientation, CoherentFrame frame, float[] inputs, int width, int count, float[] outputs)
    {
        var batch = inputs.AsSpan(0, count * width);
        // A frame one column wider than the input carries a bias, multiplied by a constant input 1.
        if (frame.Columns == width + 1)
        {
            if (_withBias.Length < count * frame.Columns) _withBias = new float[count * frame.Columns];
            for (var b = 0; b < count; b++)
            {
                inputs.AsSpan(b * width, width).CopyTo(_withBias.AsSpan(b * frame.Columns));
                _withBias[b * frame.Columns + width] = 1f;
            }
            batch = _withBias.AsSpan(0, count * frame.Columns);
        }
        var light = device.MeasureBatch(frame, batch, count, outputs, noise);
        observer?.Observe(layer, orientation, frame, batch, count, outputs.AsSpan(0, count * frame.Rows));
        if (light is null) return;
        if (!_returned.TryGetValue(frame.Id, out var parts)) _returned[frame.Id] = parts = [];
        parts.Add(light);
    }
}
