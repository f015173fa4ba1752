namespace QSI.Federation.Privacy;

/// <summary>
/// What a fit task tells a client under distributed privacy: clip the change to L2 norm
/// <paramref name="Clip"/> and add Gaussian noise of std <paramref name="NoiseStd"/> (z C / sqrt(m)
/// for m sampled clients) to every value, before masking. The server sets both, so every client of
/// a round adds the same share and none can be configured otherwise.
/// </summary>
/// <param name="Clip">The clipping norm C.</param>
/// <param name="NoiseStd">The std of this client's share of the noise.</param>
public sealed record ClientPrivacy(double Clip, double NoiseStd)
{
    /// <summary>Throws <see cref="ArgumentException"/> when a value cannot be a clip or a std (a task read off the wire).</summary>
    public ClientPrivacy Validated()
    {
        if (!(Clip > 0) || double.IsInfinity(Clip)) throw new ArgumentException($"a clipping norm must be positive and finite; got {Clip}");
        if (!(NoiseStd >= 0) || double.IsInfinity(NoiseStd)) throw new ArgumentException($"a noise std must be finite and at least 0; got {NoiseStd}");
        return this;
    }

    /// <summary>
    /// The upload of a change <paramref name="delta"/> trained on <paramref name="samples"/> samples:
    /// (clip(delta) + noise) / samples. Aggregation weighs every upload by its samples, so the
    /// weighted sum it computes, in the clear or masked, is the plain sum of the privatized changes,
    /// in which every client counts once (user-level privacy).
    /// </summary>
    public float[] Privatize(ReadOnlySpan<float> delta, int samples, GaussianNoise noise)
    {
        if (samples < 1) throw new ArgumentException($"an update of {samples} samples");
        var upload = delta.ToArray();
        Clipping.ClipInPlace(upload, Clip);
        noise.AddTo(upload, NoiseStd);
        for (var k = 0; k < upload.Length; k++) upload[k] /= samples;
        return upload;
    }
}
