using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Attacks;

/// <summary>
/// What an attacker has heterodyned of one frame: the sum of its outcomes over every copy, which
/// is sufficient for the weights (K outcomes of mean 2 sqrt(t) s w and variance 2 pool into one
/// of variance 2/K). Outcomes independent of everything else the attacker did (a tap's) are drawn
/// only when asked for, all copies at once: exact, and per frame rather than per use.
/// </summary>
internal sealed class FrameKnowledge(FrameLight light, Tapping tapping)
{
    private readonly Lock _lock = new();
    private NoiseSource? _detector;
    private double[]? _sum;
    private long _measured;
    private long _undrawn;

    /// <summary>Adds the outcomes of one copy: every row's 2n' quadratures (entries below the first tapped mode are ignored).</summary>
    public void AddUse(ReadOnlySpan<double> outcomes)
    {
        lock (_lock)
        {
            var sum = Sum();
            var width = 2 * light.Modes;
            for (var i = 0; i < light.Rows; i++)
                for (var e = i * width + 2 * tapping.FirstMode; e < (i + 1) * width; e++) sum[e] += outcomes[e];
            _measured++;
        }
    }

    /// <summary>
    /// Counts <paramref name="copies"/> copies heterodyned independently of the device, to be drawn
    /// when asked for, from a detector stream split from <paramref name="noise"/> at the frame's
    /// first copy: the draws do not depend on which thread asks, or when.
    /// </summary>
    public void AddUndrawn(long copies, NoiseSource noise)
    {
        lock (_lock)
        {
            _detector ??= noise.Split();
            _undrawn += copies;
        }
    }

    /// <summary>The pooled estimate of every packed weight so far; null before the first copy is in.</summary>
    public WeightEstimate? Estimate()
    {
        lock (_lock)
        {
            if (_measured + _undrawn == 0) return null;
            var sum = Sum();
            var gain = 2 * light.Scale * Math.Sqrt(tapping.OutcomeTransmission);
            if (_undrawn > 0)
            {
                // The sum of K outcomes: K 2 sqrt(t) s w plus N(0, 2K) per quadrature.
                var spread = Math.Sqrt(Detection.HeterodyneVariance * _undrawn);
                var width = 2 * light.Modes;
                for (var i = 0; i < light.Rows; i++)
                {
                    var row = light.Row(i);
                    for (var e = 2 * tapping.FirstMode; e < width; e++)
                        sum[i * width + e] += _undrawn * gain * row[e] + spread * _detector!.NextGaussian();
                }
                _measured += _undrawn;
                _undrawn = 0;
            }
            var estimate = new double[sum.Length];
            for (var e = 0; e < sum.Length; e++) estimate[e] = sum[e] / (_measured * gain);
            return new WeightEstimate(light.Id, light.Rows, light.Modes, tapping.FirstMode, estimate,
                Detection.HeterodyneVariance / (_measured * gain * gain), _measured, light.MeanSquareWeight);
        }
    }

    // Entries of modes below the first tapped one stay zero: nothing was measured there.
    private double[] Sum() => _sum ??= new double[light.Rows * 2 * light.Modes];
}
