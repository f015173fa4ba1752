using QSI.Federation.Adversaries;
using QSI.Protocol.Leakage;

namespace QSI.Node.Attacks;

/// <summary>What an attacker learned of the first layer's weights, and the Holevo bound it must stay under.</summary>
/// <param name="GainedBitsPerWeight">-log2 of the relative error; null when the attacker made no estimate.</param>
/// <param name="BoundBitsPerWeight">The Holevo bound per weight on the light it measured.</param>
/// <param name="RelativeError">|W^ - W| / |W| of the first layer; null when the attacker made no estimate.</param>
internal sealed record WeightLeakage(double? GainedBitsPerWeight, double BoundBitsPerWeight, double? RelativeError)
{
    // The Holevo bound of section 4 as T -> 0 (T = 0 itself is outside its domain): the light kept
    // whole, g(2 mu + 1) per mode. With eps = 0 it is g(2(1 - T) mu + 1), within 1e-11 bits of that at 1e-12.
    private const double KeptTransmission = 1e-12;

    /// <summary>
    /// An attacker's heterodyne estimate pooled over every frame (<paramref name="pooled"/>), against
    /// <paramref name="truth"/>; the bound is that of all its copies' photons gathered, at the
    /// transmission and per-mode excess the verifier estimated of its light:
    /// I_w(K mu, T-hat, max(eps-hat, 0)/n') n' / n per weight (T-hat capped at 1).
    /// </summary>
    public static WeightLeakage Intercepted(PooledInterception pooled, Federation.Models.DenseLayer truth, double photons,
        (double Transmission, double ExcessNoise) seen)
    {
        var relativeError = pooled.RelativeError(truth);
        var perMode = LeakageBounds.HolevoBitsPerMode(pooled.Copies * photons, Math.Clamp(seen.Transmission, KeptTransmission, 1),
            Math.Max(seen.ExcessNoise, 0) / pooled.Modes);
        return new WeightLeakage(LayerExtraction.BitsOf(relativeError), perMode * pooled.Modes / Columns(truth), relativeError);
    }

    /// <summary>
    /// Light kept whole (<paramref name="copies"/> copies of a layer of <paramref name="modes"/> modes
    /// per row, <paramref name="columns"/> weights per row): nothing constrains what the attacker measures of it,
    /// so the bound is the Holevo information of the copies gathered, I_w(K mu, T -> 0, 0) n' / n.
    /// </summary>
    public static WeightLeakage Kept(long copies, double photons, int modes, int columns) =>
        new(null, LeakageBounds.HolevoBitsPerMode(copies * photons, KeptTransmission, 0) * modes / columns, null);

    /// <summary>The extractor's estimate of the first layer.</summary>
    public static WeightLeakage Extracted(LayerExtraction first) =>
        new(first.BitsPerWeight, first.Estimate.BoundBitsPerWeight, first.RelativeError);

    private static int Columns(Federation.Models.DenseLayer layer) => layer.Columns + (layer.Bias is null ? 0 : 1);
}
