namespace QSI.Protocol.Encoding;

/// <summary>
/// One copy of a frame's light in the hands of a device of this assembly: the amplitudes of
/// row i are sqrt(T) s (w_i,2j + i w_i,2j+1), stored as the packed weights and the scale, with
/// the frame's announced mean photon number mu.
/// </summary>
internal readonly record struct FrameLight(
    FrameId Id, float[] PackedWeights, int Rows, int Modes, double Scale, double Transmission, double Photons)
{
    /// <summary>Noise the channel added per quadrature of every mode, SNU: the light's variance is 1 + this.</summary>
    public double AddedNoise { get; init; }

    /// <summary>The layer's mean square weight, mu / (2 s^2), as anyone who knows the announced s and mu can compute.</summary>
    public double MeanSquareWeight => Photons / (2 * Scale * Scale);

    /// <summary>Packed weights of row i: 2n' floats, (re, im) pairs, zero-padded.</summary>
    public ReadOnlySpan<float> Row(int i) => PackedWeights.AsSpan(i * 2 * Modes, 2 * Modes);
}
