using QSI.Protocol.Encoding;

namespace QSI.Protocol.Attacks;

/// <summary>
/// An attacker's heterodyne estimate of one frame's weights, beyond its outputs: every packed
/// weight of modes <paramref name="FirstMode"/> and above of every row, in the frame's layout
/// (rows x 2n', (re, im) pairs, zero-padded), in weight units.
/// </summary>
/// <param name="Frame">The frame estimated.</param>
/// <param name="Rows">Rows m.</param>
/// <param name="Modes">Modes per row n'.</param>
/// <param name="FirstMode">First mode measured; entries of the modes before it are zero (not measured).</param>
/// <param name="PackedWeights">The estimates, rows x 2n'.</param>
/// <param name="Variance">Noise variance of each estimate: 2 / (K (2 s)^2 t) for K copies measured at transmission t.</param>
/// <param name="Copies">Copies K whose outcomes are pooled.</param>
/// <param name="MeanSquareWeight">The layer's mean square weight mu / (2 s^2), as announced.</param>
public sealed record WeightEstimate(
    FrameId Frame, int Rows, int Modes, int FirstMode, double[] PackedWeights, double Variance, long Copies, double MeanSquareWeight)
{
    /// <summary>Fraction of every row's modes estimated.</summary>
    public double EstimatedFraction => (Modes - FirstMode) / (double)Modes;

    /// <summary>
    /// The Gaussian channel's information about each estimated weight, 1/2 log2(1 + &lt;W^2&gt; / sigma^2):
    /// what an estimate of this noise tells of a Gaussian weight of the layer's mean square.
    /// </summary>
    public double BitsPerEstimatedWeight => 0.5 * Math.Log2(1 + MeanSquareWeight / Variance);

    /// <summary>The same information averaged over every weight of the frame (unmeasured ones count zero).</summary>
    public double BitsPerWeight => EstimatedFraction * BitsPerEstimatedWeight;
}
