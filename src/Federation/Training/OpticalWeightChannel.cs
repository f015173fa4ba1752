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
/// The first layer meets the task's own samples in every pass, so their products with the frame
/// are formed once per task (<see cref="PreparedInputs"/>); each use still takes its own copy.
/// An <paramref name="observer"/>, if any, sees each measurement's frame(W) z before ΔW z is added.
/// A device that keeps a frame's light records nothing for it.
/// </summary>
public sealed class OpticalWeightChannel(ModelShape shape, RoundFrames frames, IClientDevice device, NoiseSource noise,
    IMeasurementObserver? observer = null) : IWeightChannel
{
    private readonly Dictionary<FrameId, List<ReturnedLight>> _returned = [];
    private float[] _withBias = [];
    private float[] _own = [];
    private float[]? _preparedFrom;
    private PreparedInputs? _prepared;

    /// <inheritdoc/>
    public void Forward(int layer, DenseLayer? change, float[] inputs, int count, float[] outputs)
    {
        var frame = frames.Forward[layer];
        var batch = WithBias(frame, inputs, shape.Sizes[layer], count);
        Keep(layer, FrameOrientation.Forward, frame, batch, count, outputs, device.MeasureBatch(frame, batch, count, outputs, noise));
        AddOwnForward(change, inputs, count, outputs);
    }

    /// <inheritdoc/>
    public void ForwardSamples(DenseLayer? change, float[] inputs, ReadOnlySpan<int> samples, float[] gathered, float[] outputs)
    {
        var frame = frames.Forward[0];
        if (Prepared(frame, inputs) is not { } prepared)
        {
            Forward(0, change, gathered, samples.Length, outputs);
            return;
        }
        var count = samples.Length;
        var light = device.MeasureBatch(frame, prepared, samples, outputs, noise);
        // Only an observer reads the gathered batch.
        var batch = observer is null ? default : WithBias(frame, gathered, shape.Sizes[0], count);
        Keep(0, FrameOrientation.Forward, frame, batch, count, outputs, light);
        AddOwnForward(change, gathered, count, outputs);
    }

    /// <inheritdoc/>
    public void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs)
    {
        var frame = frames.Backward[layer] ?? throw new InvalidOperationException($"layer {layer} has no transposed frame");
        var batch = deltas.AsSpan(0, count * shape.Sizes[layer + 1]);
        Keep(layer, FrameOrientation.Transposed, frame, batch, count, outputs, device.MeasureBatch(frame, batch, count, outputs, noise));
        if (change is null) return;
        var produced = Own(count * change.Columns);
        DenseKernels.BackwardDelta(change, deltas, activation: null, count, produced);
        TensorPrimitives.Add(outputs.AsSpan(0, count * change.Columns), produced.AsSpan(0, count * change.Columns), outputs);
    }

    /// <summary>
    /// The light returned so far, one combined whole per frame used, forward frames first and
    /// then transposed ones, each in layer order. The channel holds none afterwards, and gives
    /// back the memory of its prepared inputs.
    /// </summary>
    public IReadOnlyList<ReturnedLight> TakeResiduals()
    {
        var taken = frames.Forward.Concat(frames.Backward.OfType<CoherentFrame>())
            .Where(f => _returned.ContainsKey(f.Id))
            .Select(f => ReturnedLight.Combine(_returned[f.Id]))
            .ToArray();
        _returned.Clear();
        _prepared?.Dispose();
        (_prepared, _preparedFrom) = (null, null);
        return taken;
    }

    private void AddOwnForward(DenseLayer? change, float[] inputs, int count, float[] outputs)
    {
        if (change is null) return;
        var produced = Own(count * change.Rows);
        DenseKernels.Forward(change, inputs, count, produced, relu: false);
        TensorPrimitives.Add(outputs.AsSpan(0, count * change.Rows), produced.AsSpan(0, count * change.Rows), outputs);
    }

    private float[] Own(int length) => _own.Length >= length ? _own : _own = new float[length];

    // The task's own inputs prepared for the first layer's frame, once; null when they are too many.
    private PreparedInputs? Prepared(CoherentFrame frame, float[] inputs)
    {
        if (ReferenceEquals(inputs, _preparedFrom)) return _prepared;
        _prepared?.Dispose();
        var width = shape.Sizes[0];
        var count = inputs.Length / width;
        var withBias = frame.Columns == width ? inputs : WithBias(frame, inputs, width, count).ToArray();
        (_prepared, _preparedFrom) = (PreparedInputs.For(frame, withBias, count), inputs);
        return _prepared;
    }

    // A frame one column wider than the input carries a bias, multiplied by a constant input 1.
    private ReadOnlySpan<float> WithBias(CoherentFrame frame, float[] inputs, int width, int count)
    {
        if (frame.Columns != width + 1) return inputs.AsSpan(0, count * width);
        if (_withBias.Length < count * frame.Columns) _withBias = new float[count * frame.Columns];
        for (var b = 0; b < count; b++)
        {
            inputs.AsSpan(b * width, width).CopyTo(_withBias.AsSpan(b * frame.Columns));
            _withBias[b * frame.Columns + width] = 1f;
        }
        return _withBias.AsSpan(0, count * frame.Columns);
    }

    private void Keep(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> batch, int count, float[] outputs, ReturnedLight? light)
    {
        observer?.Observe(layer, orientation, frame, batch, count, outputs.AsSpan(0, count * frame.Rows));
        if (light is null) return;
        if (!_returned.TryGetValue(frame.Id, out var parts)) _returned[frame.Id] = parts = [];
        parts.Add(light);
    }
}
