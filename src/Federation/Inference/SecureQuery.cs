using System.Buffers;
using System.Numerics.Tensors;
using QSI.Federation.Adversaries;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Inference;

/// <summary>What a client obtains from one query through every layer: the network's outputs and the light it returns.</summary>
/// <param name="Outputs">The last layer's estimates (logits).</param>
/// <param name="Residuals">Returned light, one per layer whose light the device returned, in layer order, for the verifier.</param>
public sealed record QueryMeasurement(float[] Outputs, IReadOnlyList<ReturnedLight> Residuals);

/// <summary>
/// The client's side of one query (PROTOCOL.md section 3, step 7): each layer's frame copy is
/// measured with the previous layer's ReLU outputs as input. A frame one column wider than
/// the input carries a bias, which the client multiplies by a constant input 1.
/// </summary>
public static class SecureQuery
{
    /// <summary>
    /// Runs <paramref name="input"/> through one copy of each of <paramref name="layers"/>. A layer
    /// whose light the device keeps has no residual. An <paramref name="observer"/>, if any, sees
    /// each layer's input and estimates before the ReLU.
    /// </summary>
    public static QueryMeasurement Run(IReadOnlyList<CoherentFrame> layers, IClientDevice device, ReadOnlySpan<float> input, NoiseSource noise,
        IMeasurementObserver? observer = null) =>
        BatchQuery.Run(layers, device, input, 1, noise, observer);
}

/// <summary>
/// The client's side of a batch of queries sent through the same frames together: each layer's
/// frame meets all of them in one measurement, one copy each, and returns their light as one.
/// </summary>
public static class BatchQuery
{
    /// <summary>
    /// Runs the <paramref name="count"/> inputs of <paramref name="inputs"/> (row-major) through
    /// <paramref name="count"/> copies of each of <paramref name="layers"/>; the outputs hold the
    /// logits of every query, one row each. An <paramref name="observer"/>, if any, sees each
    /// layer's inputs and estimates before the ReLU. The hidden layers' values live in two pooled
    /// buffers, so a batch allocates nothing per row.
    /// </summary>
    public static QueryMeasurement Run(IReadOnlyList<CoherentFrame> layers, IClientDevice device, ReadOnlySpan<float> inputs, int count, NoiseSource noise,
        IMeasurementObserver? observer = null)
    {
        var residuals = new List<ReturnedLight>(layers.Count);
        var width = inputs.Length / count;
        var widest = width;
        foreach (var layer in layers) widest = Math.Max(widest, Math.Max(layer.Rows, layer.Columns));
        var (current, next) = (ArrayPool<float>.Shared.Rent(count * (widest + 1)), ArrayPool<float>.Shared.Rent(count * (widest + 1)));
        try
        {
            inputs[..(count * width)].CopyTo(current);
            float[] outputs = [];
            for (var l = 0; l < layers.Count; l++)
            {
                var frame = layers[l];
                if (frame.Columns == width + 1)
                {
                    // A bias column: each row gains a constant input 1, from the last row back so nothing is overwritten.
                    for (var b = count - 1; b >= 0; b--)
                    {
                        current.AsSpan(b * width, width).CopyTo(current.AsSpan(b * (width + 1)));
                        current[b * (width + 1) + width] = 1f;
                    }
                    width++;
                }
                var last = l == layers.Count - 1;
                var estimates = last ? (outputs = new float[count * frame.Rows]) : next.AsSpan(0, count * frame.Rows);
                var layerInputs = current.AsSpan(0, count * width);
                if (device.MeasureBatch(frame, layerInputs, count, estimates, noise) is { } residual) residuals.Add(residual);
                observer?.Observe(l, FrameOrientation.Forward, frame, layerInputs, count, estimates);
                if (last) break;
                TensorPrimitives.Max(estimates, 0f, estimates);
                (current, next, width) = (next, current, frame.Rows);
            }
            return new QueryMeasurement(outputs, residuals);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(current);
            ArrayPool<float>.Shared.Return(next);
        }
    }
}

/// <summary>The verifier's side of one query: every layer's returned light, heterodyned against its frame's reference and pooled.</summary>
public static class QueryVerification
{
    /// <summary>Measures <paramref name="residuals"/> (one per layer) against <paramref name="references"/>.</summary>
    public static ResidualStatistics Measure(IReadOnlyList<ReturnedLight> residuals, IReadOnlyList<FrameReference> references, NoiseSource noise)
    {
        if (residuals.Count != references.Count)
            throw new ArgumentException($"a query returns light for {residuals.Count} layers; the network has {references.Count}", nameof(residuals));
        var statistics = ResidualStatistics.None;
        for (var l = 0; l < residuals.Count; l++) statistics += residuals[l].MeasureHeterodyne(references[l], noise);
        return statistics;
    }

    /// <summary>
    /// The same behind a real <paramref name="channel"/>: each layer's light passes the return path's loss and is
    /// heterodyned by the verifier's detector.
    /// </summary>
    public static ResidualStatistics Measure(IReadOnlyList<ReturnedLight> residuals, IReadOnlyList<FrameReference> references, NoiseSource noise,
        ChannelImperfections channel)
    {
        if (channel.IsIdeal) return Measure(residuals, references, noise);
        if (residuals.Count != references.Count)
            throw new ArgumentException($"a query returns light for {residuals.Count} layers; the network has {references.Count}", nameof(residuals));
        var statistics = ResidualStatistics.None;
        for (var l = 0; l < residuals.Count; l++)
            statistics += channel.Return(residuals[l], noise).MeasureHeterodyne(references[l], noise, channel.VerifierDetector);
        return statistics;
    }
}
