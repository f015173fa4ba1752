using QSI.Federation.Adversaries;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Inference;

/// <summary>
/// What a client saw of its measurements, kept to be handed to an observer later, in the same
/// order (<see cref="QuerySeries"/>): the observer then sees exactly what it would have live.
/// </summary>
internal sealed class MeasurementRecord : IMeasurementObserver
{
    private readonly List<(int Layer, FrameOrientation Orientation, CoherentFrame Frame, float[] Inputs, int Count, float[] Estimates)> _seen = [];

    /// <inheritdoc/>
    public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates) =>
        _seen.Add((layer, orientation, frame, inputs.ToArray(), count, estimates.ToArray()));

    /// <summary>Hands everything recorded to <paramref name="observer"/>, in the order it was seen.</summary>
    public void ReplayTo(IMeasurementObserver observer)
    {
        foreach (var (layer, orientation, frame, inputs, count, estimates) in _seen)
            observer.Observe(layer, orientation, frame, inputs, count, estimates);
        _seen.Clear();
    }
}
