using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Protocol.Encoding;

namespace QSI.Node.Attacks;

/// <summary>One layer's extraction after some queries; the fields are the columns of extraction.csv.</summary>
/// <param name="Queries">Queries observed.</param>
/// <param name="Layer">The layer, from 0.</param>
/// <param name="RelativeError">|W^ - W| / |W| against the true layer.</param>
/// <param name="BitsPerWeight">The bits that error implies, -log2 of it.</param>
/// <param name="BoundBitsPerWeight">The tightest Holevo bound on the light behind the estimate.</param>
/// <param name="AccountBitsPerWeight">What the weight account charges for that light.</param>
/// <param name="ExpectedRelativeError">The error the attacker expects, without knowing W.</param>
internal sealed record ExtractionPoint(long Queries, int Layer, double RelativeError, double BitsPerWeight,
    double BoundBitsPerWeight, double AccountBitsPerWeight, double ExpectedRelativeError);

/// <summary>
/// A <see cref="WeightExtractor"/> followed as it observes a series of queries: after the
/// 100th, 300th, 1,000th, ... query (and the last), or only after the last, every layer's
/// estimate against the truth.
/// </summary>
internal sealed class ExtractionCurve : IMeasurementObserver
{
    private readonly WeightExtractor _extractor;
    private readonly Mlp _truth;
    private readonly long _last;
    private readonly bool _curve;
    private readonly List<ExtractionPoint> _points = [];
    private long _queries;

    /// <summary>
    /// Follows an extractor of gain <paramref name="gain"/> against <paramref name="truth"/> over
    /// <paramref name="queries"/> queries; at every checkpoint when <paramref name="curve"/>, else after the last only.
    /// </summary>
    public ExtractionCurve(Mlp truth, double gain, long queries, bool curve)
    {
        _truth = truth;
        _extractor = new WeightExtractor(ModelShape.Of(truth), gain);
        _last = queries;
        _curve = curve;
    }

    /// <summary>Every comparison so far, by queries then layer.</summary>
    public IReadOnlyList<ExtractionPoint> Points => _points;

    /// <summary>The comparison after the last query, one per layer.</summary>
    public IReadOnlyList<LayerExtraction> Final { get; private set; } = [];

    /// <inheritdoc/>
    public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates)
    {
        _extractor.Observe(layer, orientation, frame, inputs, count, estimates);
        if (layer < _truth.Layers.Count - 1) return;
        _queries += count;
        if (_queries != _last && !(_curve && IsGridPoint(_queries))) return;
        var layers = _extractor.Against(_truth);
        foreach (var e in layers)
            _points.Add(new ExtractionPoint(_queries, e.Estimate.Layer, e.RelativeError, e.BitsPerWeight,
                e.Estimate.BoundBitsPerWeight, e.Estimate.AccountBitsPerWeight, e.Estimate.ExpectedRelativeError));
        Final = layers;
    }

    // 100, 300, 1000, 3000, ...: 1 or 3 times a power of ten from 100 on.
    private static bool IsGridPoint(long queries)
    {
        for (long decade = 100; decade <= queries; decade *= 10)
            if (queries == decade || queries == 3 * decade) return true;
        return false;
    }
}
