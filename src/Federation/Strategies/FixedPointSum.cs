using System.Numerics.Tensors;

namespace QSI.Federation.Strategies;

/// <summary>
/// A sample-weighted sum of updates whose bits do not depend on the order the updates are added
/// in: each term (a value times its update's samples) is rounded to a multiple of 2^-32 and added
/// as an integer, and integer addition is associative. The server can so fold an update the
/// moment it arrives, in whatever order the clients finish, and still get the mean that keeping
/// every update would give (<see cref="Aggregation.WeightedMean"/> sums the same way).
/// </summary>
/// <remarks>
/// Rounding a term moves it by at most 2^-33 (1.2e-10); the mean of N updates over S samples by at
/// most N 2^-33 / S, below a float's resolution of any value above about 1e-3 and far below
/// anything a trained weight notices. The mean of one update is that update, unrounded: a mean
/// passed on as one update (a fold's, or secure aggregation's) comes through unchanged. A term must
/// lie within ±2^31 (<see cref="Fits"/>); no honest update comes near it.
/// </remarks>
public sealed class FixedPointSum
{
    private const double Scale = 4294967296.0; // 2^32
    private const double Limit = 2147483648.0; // 2^31
    private readonly int _length;
    private float[]? _first;
    private int _firstSamples;
    private Int128[]? _sum;

    /// <summary>A zero sum of updates of <paramref name="length"/> values.</summary>
    public FixedPointSum(int length) => _length = length;

    /// <summary>Updates added.</summary>
    public int Count { get; private set; }

    /// <summary>Total samples of the updates added.</summary>
    public long Samples { get; private set; }

    /// <summary>Whether every value of <paramref name="delta"/> times <paramref name="samples"/> lies within the sum's range.</summary>
    public static bool Fits(ReadOnlySpan<float> delta, int samples) =>
        delta.Length == 0 || (double)TensorPrimitives.MaxMagnitude(delta) * samples < Limit;

    /// <summary>Adds <paramref name="delta"/> weighted by its <paramref name="samples"/>.</summary>
    /// <exception cref="ArgumentException">Its length differs from the sum's, its samples are negative, or (with more than one update) a term is out of range (<see cref="Fits"/>).</exception>
    public void Add(ReadOnlySpan<float> delta, int samples)
    {
        if (delta.Length != _length) throw new ArgumentException($"an update of {delta.Length} values added to a sum of {_length}", nameof(delta));
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (Count == 0)
        {
            (_first, _firstSamples) = (delta.ToArray(), samples);
        }
        else
        {
            if (_first is not null) Accumulate(_first, _firstSamples);
            _first = null;
            Accumulate(delta, samples);
        }
        Count++;
        Samples += samples;
    }

    /// <summary>The sum divided by the samples: the weighted mean, one float per value.</summary>
    /// <exception cref="InvalidOperationException">No sample was added.</exception>
    public float[] Mean()
    {
        if (Samples <= 0) throw new InvalidOperationException("the updates were trained on no samples");
        if (_first is not null) return (float[])_first.Clone();
        var divisor = Scale * Samples;
        var mean = new float[_length];
        for (var k = 0; k < mean.Length; k++) mean[k] = (float)((double)_sum![k] / divisor);
        return mean;
    }

    private void Accumulate(ReadOnlySpan<float> delta, int samples)
    {
        if (!Fits(delta, samples)) throw new ArgumentException("an update's value times its samples is beyond ±2^31", nameof(delta));
        var sum = _sum ??= new Int128[_length];
        var weight = samples * Scale;
        for (var k = 0; k < sum.Length; k++) sum[k] += (long)Math.Round(delta[k] * weight);
    }
}
