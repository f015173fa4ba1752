using System.Numerics.Tensors;
using QSI.Federation.Adversaries;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
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
    public static QueryMeasurement Run(IReadOnlyList<CoherentFrame> layers, IClientDevice device, float[] input, NoiseSource noise,
        IMeasurementObserver? observer = null)
    {
        var residuals = new List<ReturnedLight>(layers.Count);
        var z = input;
        for (var l = 0; l < layers.Count; l++)
        {
            var layerInput = layers[l].Columns == z.Length + 1 ? [.. z, 1f] : z;
            var measurement = device.Measure(layers[l], layerInput, noise);
            if (measurement.Residual is { } residual) residuals.Add(residual);
            observer?.Observe(l, FrameOrientation.Forward, layers[l], layerInput, 1, measurement.Outputs);
            z = measurement.Outputs;
            if (l < layers.Count - 1) TensorPrimitives.Max(z, 0f, z);
        }
        return new QueryMeasurement(z, residuals);
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
}
