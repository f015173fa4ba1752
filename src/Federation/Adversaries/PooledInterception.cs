using QSI.Federation.Models;
using QSI.Protocol.Attacks;

namespace QSI.Federation.Adversaries;

/// <summary>
/// An attacker's estimate of one layer from the heterodyne estimates of every frame of it that it
/// intercepted (<see cref="Interception"/>): the frames carry the same weights, so their estimates
/// combine by inverse variance into one of variance 1 / sum(1/v_k), which the MMSE estimate under
/// the announced prior N(0, &lt;W^2&gt;) shrinks by &lt;W^2&gt; / (&lt;W^2&gt; + v). Weights of modes the
/// attacker never measured stay at the prior's mean, 0.
/// </summary>
/// <param name="PackedWeights">The shrunk estimate, in the frames' layout (rows x 2n', (re, im) pairs, zero-padded).</param>
/// <param name="Rows">Rows m.</param>
/// <param name="Modes">Modes per row n'.</param>
/// <param name="Variance">The pooled estimate's noise variance per measured weight, before shrinking.</param>
/// <param name="Copies">Copies measured, over every frame.</param>
public sealed record PooledInterception(double[] PackedWeights, int Rows, int Modes, double Variance, long Copies)
{
    /// <summary>Pools <paramref name="estimates"/>, estimates of frames of one layer; null when there are none.</summary>
    /// <exception cref="ArgumentException">The estimates are of frames of different shapes or measured modes.</exception>
    public static PooledInterception? Of(IEnumerable<WeightEstimate> estimates)
    {
        var all = estimates.ToArray();
        if (all.Length == 0) return null;
        var first = all[0];
        if (all.Any(e => e.Rows != first.Rows || e.Modes != first.Modes || e.FirstMode != first.FirstMode || e.MeanSquareWeight != first.MeanSquareWeight))
            throw new ArgumentException("estimates of one layer's frames share its shape, its announced mean square and the modes measured", nameof(estimates));
        var pooled = new double[first.PackedWeights.Length];
        var precision = 0.0;
        foreach (var estimate in all)
        {
            var weight = 1 / estimate.Variance;
            precision += weight;
            for (var e = 0; e < pooled.Length; e++) pooled[e] += weight * estimate.PackedWeights[e];
        }
        var variance = 1 / precision;
        var shrink = first.MeanSquareWeight / (first.MeanSquareWeight + variance);
        for (var e = 0; e < pooled.Length; e++) pooled[e] *= variance * shrink;
        return new PooledInterception(pooled, first.Rows, first.Modes, variance, all.Sum(e => e.Copies));
    }

    /// <summary>
    /// |W^ - W| / |W| against <paramref name="truth"/>, which only a simulation knows, over the
    /// frame's weights: the layer's and, where it has one, its bias (the frame's last column).
    /// </summary>
    public double RelativeError(DenseLayer truth)
    {
        var columns = truth.Columns + (truth.Bias is null ? 0 : 1);
        if (truth.Rows != Rows || (columns + 1) / 2 != Modes)
            throw new ArgumentException($"an estimate of {Rows} rows of {Modes} modes cannot be compared with a {truth.Rows}x{truth.Columns} layer", nameof(truth));
        double error = 0, norm = 0;
        for (var i = 0; i < Rows; i++)
        {
            for (var c = 0; c < columns; c++)
            {
                double w = c < truth.Columns ? truth.Weights[i * truth.Columns + c] : truth.Bias![i];
                var d = PackedWeights[i * 2 * Modes + c] - w;
                error += d * d;
                norm += w * w;
            }
        }
        if (norm == 0) throw new ArgumentException("an all-zero layer has no relative error", nameof(truth));
        return Math.Sqrt(error / norm);
    }
}
