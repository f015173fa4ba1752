using QSI.Protocol.Encoding;

namespace QSI.Federation.Adversaries;

/// <summary>Which product of a layer a frame serves (PROTOCOL.md section 6).</summary>
public enum FrameOrientation
{
    /// <summary>A frame of W_l (a bias folded in as one more column), for the forward products W_l z.</summary>
    Forward,

    /// <summary>A frame of W_l^T, for the backward products W_l^T delta of training.</summary>
    Transposed,
}

/// <summary>
/// What a client sees of its own measurements, and nothing more: for every use of a frame, the
/// vector it applied and the estimates its detector gave. An honest client ignores them; a
/// curious one (<see cref="WeightExtractor"/>) regresses W from them. Called on the measuring
/// thread, once per measured batch, in the order of measurement.
/// </summary>
public interface IMeasurementObserver
{
    /// <summary>
    /// <paramref name="count"/> copies of <paramref name="frame"/>, a frame of layer
    /// <paramref name="layer"/>, were measured with <paramref name="inputs"/> (row-major,
    /// <see cref="CoherentFrame.Columns"/> values per copy, a bias's constant 1 included) and gave
    /// <paramref name="estimates"/> (<see cref="CoherentFrame.Rows"/> per copy) of frame(W) z:
    /// the detector's values, before the client adds any product of its own (PROTOCOL.md section 6,
    /// local steps). The spans are valid only during the call.
    /// </summary>
    void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates);
}
