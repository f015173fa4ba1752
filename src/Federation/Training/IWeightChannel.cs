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

    /// <summary>outputs[b] = (W_l + ΔW_l)^T deltas[b] for <paramref name="count"/> samples (section 6, secure backward).</summary>
    void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs);
}
