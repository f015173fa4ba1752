using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>
/// How a client multiplies by the server's weights W and its own change ΔW during local
/// training: through optical frames (it never sees W) or, for the plain baseline, in the clear.
/// Inputs and outputs are row-major, one row per sample; a null ΔW is zero (evaluation).
/// </summary>
public interface IWeightChannel
{
    /// <summary>outputs[b] = (W_l + ΔW_l) inputs[b] (+ b_l + Δb_l) for <paramref name="count"/> samples (PROTOCOL.md section 6, secure forward).</summary>
    void Forward(int layer, DenseLayer? change, float[] inputs, int count, float[] outputs);

    /// <summary>
    /// The first layer for the samples <paramref name="samples"/> of <paramref name="inputs"/>, the
    /// task's own inputs (row-major, the same array throughout the task), already gathered row by
    /// row into <paramref name="gathered"/>: outputs[b] = (W_0 + ΔW_0) inputs[samples[b]] (+ b_0 + Δb_0).
    /// A channel may form once the products that do not change within the task.
    /// </summary>
    void ForwardSamples(DenseLayer? change, float[] inputs, ReadOnlySpan<int> samples, float[] gathered, float[] outputs) =>
        Forward(0, change, gathered, samples.Length, outputs);

    /// <summary>outputs[b] = (W_l + ΔW_l)^T deltas[b] for <paramref name="count"/> samples (section 6, secure backward).</summary>
    void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs);
}
