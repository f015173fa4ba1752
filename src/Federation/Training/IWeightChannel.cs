namespace QSI.Federation.Training;

/// <summary>
/// How a client multiplies by the server's weights W during local training: through optical
/// frames (it never sees W) or, for the plain baseline, in the clear. Inputs and outputs are
/// row-major, one row per sample.
/// </summary>
public interface IWeightChannel
{
    /// <summary>outputs[b] = W_l inputs[b] (+ b_l) for <paramref name="count"/> samples (PROTOCOL.md section 6, secure forward).</summary>
    void Forward(int layer, float[] inputs, int count, float[] outputs);

    /// <summary>outputs[b] = W_l^T deltas[b] for <paramref name="count"/> samples (section 6, secure backward).</summary>
    void Backward(int layer, float[] deltas, int count, float[] outputs);
}
