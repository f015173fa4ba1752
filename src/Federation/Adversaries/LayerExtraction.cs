using QSI.Federation.Models;

namespace QSI.Federation.Adversaries;

/// <summary>
/// How much of one layer the attacker really learned, measured against the true weights, which
/// only the simulation knows.
/// </summary>
/// <param name="Estimate">The attacker's estimate.</param>
/// <param name="RelativeError">|W^ - W| / |W| over weights and bias.</param>
public sealed record LayerExtraction(LayerEstimate Estimate, double RelativeError)
{
    /// <summary>
    /// The bits per weight the error implies, -log2 of the relative error: for the MMSE estimate of
    /// a Gaussian weight seen through a Gaussian channel, D = &lt;W^2&gt;/(1 + SNR), so this is 1/2 log2(1 + SNR).
    /// </summary>
    public double BitsPerWeight => BitsOf(RelativeError);

    /// <summary>How far the tightest Holevo bound stays above the bits learned; negative would break the promise.</summary>
    public double Margin => Estimate.BoundBitsPerWeight - BitsPerWeight;

    /// <summary>Compares <paramref name="estimate"/> with the layer it estimates.</summary>
    public static LayerExtraction Of(LayerEstimate estimate, DenseLayer truth) => new(estimate, RelativeErrorOf(estimate.Weights, truth));

    /// <summary>|W^ - W| / |W| over weights and, where the layers carry one, bias.</summary>
    public static double RelativeErrorOf(DenseLayer estimate, DenseLayer truth)
    {
        if (estimate.Rows != truth.Rows || estimate.Columns != truth.Columns || (estimate.Bias is null) != (truth.Bias is null))
            throw new ArgumentException($"an estimate of a {estimate.Rows}x{estimate.Columns} layer cannot be compared with a {truth.Rows}x{truth.Columns} one");
        double error = 0, norm = 0;
        Accumulate(estimate.Weights, truth.Weights, ref error, ref norm);
        if (truth.Bias is not null) Accumulate(estimate.Bias!, truth.Bias, ref error, ref norm);
        if (norm == 0) throw new ArgumentException("an all-zero layer has no relative error", nameof(truth));
        return Math.Sqrt(error / norm);
    }

    /// <summary>The Gaussian-channel information, in bits per weight, of an MMSE estimate with <paramref name="relativeError"/>.</summary>
    public static double BitsOf(double relativeError) => -Math.Log2(relativeError);

    private static void Accumulate(float[] estimate, float[] truth, ref double error, ref double norm)
    {
        for (var k = 0; k < truth.Length; k++)
        {
            double d = estimate[k] - truth[k];
            error += d * d;
            norm += (double)truth[k] * truth[k];
        }
    }
}
