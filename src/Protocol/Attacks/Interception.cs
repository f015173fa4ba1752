using QSI.Protocol.Encoding;

namespace QSI.Protocol.Attacks;

/// <summary>
/// What an attacker learned of the weights beyond its outputs: per frame, its heterodyne estimate
/// of every packed weight it measured, pooled over every copy (K copies give variance 2/K of one).
/// Safe to use from several threads.
/// </summary>
public sealed class Interception
{
    private readonly Lock _lock = new();
    private readonly Dictionary<FrameId, FrameKnowledge> _frames = [];

    /// <summary>The frames the attacker measured light of.</summary>
    public IReadOnlyList<FrameId> Frames
    {
        get
        {
            lock (_lock) return [.. _frames.Keys];
        }
    }

    /// <summary>The attacker's estimate of <paramref name="frame"/>'s weights; null when it measured none of its light.</summary>
    public WeightEstimate? Of(FrameId frame)
    {
        FrameKnowledge? knowledge;
        lock (_lock) _frames.TryGetValue(frame, out knowledge);
        return knowledge?.Estimate();
    }

    /// <summary>The record of <paramref name="light"/>'s frame, created at its first copy.</summary>
    internal FrameKnowledge Record(FrameLight light, Tapping tapping)
    {
        lock (_lock)
        {
            if (!_frames.TryGetValue(light.Id, out var knowledge))
                _frames[light.Id] = knowledge = new FrameKnowledge(light, tapping);
            return knowledge;
        }
    }
}
