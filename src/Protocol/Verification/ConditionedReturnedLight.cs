using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Returned light described exactly by its Gaussian state, reduced to what a heterodyne
/// measurement against the frame's reference can reveal (PROTOCOL.md section 7): the reference
/// amplitudes times sqrt(t), plus offsets, with isotropic noise per group of dimensions.
/// </summary>
/// <remarks>
/// In the basis whose first mode is the client's input direction x, the verifier's heterodyne
/// outcomes of row i fall in three groups, each an isotropic Gaussian around its mean:
/// X along x, mean 2 sqrt(t) Re beta_i + DX_i (beta_i = x^dagger alpha_i; DX holds the client's
/// conditioning shift and any offset of its incoming light), variance varX; P along x, mean
/// 2 sqrt(t) Im beta_i + DP_i, variance varP; and the other 2n'-2 real dimensions, mean
/// sqrt(t) A_rest,i + D_rest,i (the rest of the reference has energy 4(|alpha_i|^2 - |beta_i|^2)),
/// variance varRest. The statistics (sum H.A, sum H^2) of those Gaussian vectors depend on the
/// rows only through the sums kept here, so the state travels as O(1) numbers and is measured
/// without one random number per mode. The same holds for many uses of the frame: their outcomes
/// form one longer Gaussian vector with the same noise per group, so the light of K uses is the
/// sums over all K m row uses.
/// </remarks>
internal sealed class ConditionedReturnedLight : ReturnedLight
{
    private readonly RowSums _sums;
    private readonly double _transmission;
    private readonly double _varianceX;
    private readonly double _varianceP;
    private readonly double _varianceRest;

    /// <param name="frame">The frame used.</param>
    /// <param name="rows">Rows m.</param>
    /// <param name="modes">Modes per row n'.</param>
    /// <param name="uses">Uses of the frame the sums run over.</param>
    /// <param name="sums">Sums over every row of every use of beta and the offsets.</param>
    /// <param name="transmission">t: the mean is sqrt(t) times the reference, plus the offsets.</param>
    /// <param name="varianceX">Variance of the X quadrature along x, heterodyne noise included.</param>
    /// <param name="varianceP">Variance of the P quadrature along x, heterodyne noise included.</param>
    /// <param name="varianceRest">Variance of every other real dimension, heterodyne noise included (2 for coherent light).</param>
    public ConditionedReturnedLight(FrameId frame, int rows, int modes, long uses, RowSums sums, double transmission,
        double varianceX, double varianceP, double varianceRest = 2)
        : base(frame, rows, modes, uses)
    {
        _sums = sums;
        _transmission = transmission;
        _varianceX = varianceX;
        _varianceP = varianceP;
        _varianceRest = varianceRest;
    }

    internal RowSums Sums => _sums;
    internal double Transmission => _transmission;
    internal double VarianceX => _varianceX;
    internal double VarianceP => _varianceP;
    internal double VarianceRest => _varianceRest;

    /// <summary>
    /// Sums over row uses, with beta in amplitude units and the offsets D = mean - sqrt(t) A in
    /// quadrature units: Re beta^2, Re beta DX, DX^2, Im beta^2, Im beta DP, DP^2, and the rest
    /// group's A_rest . D_rest and |D_rest|^2.
    /// </summary>
    internal readonly record struct RowSums(
        double ReRe, double ReOffsetX, double OffsetXOffsetX, double ImIm, double ImOffsetP = 0, double OffsetPOffsetP = 0,
        double RestDot = 0, double RestSquared = 0)
    {
        public RowSums Add(double re, double im, double offsetX, double offsetP) => this with
        {
            ReRe = ReRe + re * re, ReOffsetX = ReOffsetX + re * offsetX, OffsetXOffsetX = OffsetXOffsetX + offsetX * offsetX,
            ImIm = ImIm + im * im, ImOffsetP = ImOffsetP + im * offsetP, OffsetPOffsetP = OffsetPOffsetP + offsetP * offsetP,
        };

        public static RowSums operator +(RowSums a, RowSums b) => new(
            a.ReRe + b.ReRe, a.ReOffsetX + b.ReOffsetX, a.OffsetXOffsetX + b.OffsetXOffsetX,
            a.ImIm + b.ImIm, a.ImOffsetP + b.ImOffsetP, a.OffsetPOffsetP + b.OffsetPOffsetP,
            a.RestDot + b.RestDot, a.RestSquared + b.RestSquared);
    }

    /// <summary>
    /// One description of every part when all are conditioned light of the same device and
    /// channel (equal variances and transmission); null otherwise.
    /// </summary>
    internal static ConditionedReturnedLight? TryMerge(IReadOnlyList<ReturnedLight> parts)
    {
        if (parts[0] is not ConditionedReturnedLight first) return null;
        var sums = default(RowSums);
        long uses = 0;
        foreach (var part in parts)
        {
            if (part is not ConditionedReturnedLight c || c._transmission != first._transmission
                || c._varianceX != first._varianceX || c._varianceP != first._varianceP || c._varianceRest != first._varianceRest)
                return null;
            sums += c._sums;
            uses += c.Uses;
        }
        return new ConditionedReturnedLight(first.Frame, first.Rows, first.Modes, uses, sums, first._transmission,
            first._varianceX, first._varianceP, first._varianceRest);
    }

    /// <remarks>
    /// Loss T scales every mean by sqrt(T): t becomes t T and each offset sqrt(T) D. Each variance V (heterodyne's
    /// unit included) becomes T (V - 1) + (1 - T) + N + 1: the light's part is attenuated, vacuum fills the rest.
    /// </remarks>
    private protected override ReturnedLight Transmitted(double transmission, double addedNoise, NoiseSource noise)
    {
        var amplitude = Math.Sqrt(transmission);
        var s = _sums;
        var sums = s with
        {
            ReOffsetX = amplitude * s.ReOffsetX, OffsetXOffsetX = transmission * s.OffsetXOffsetX,
            ImOffsetP = amplitude * s.ImOffsetP, OffsetPOffsetP = transmission * s.OffsetPOffsetP,
            RestDot = amplitude * s.RestDot, RestSquared = transmission * s.RestSquared,
        };
        double Through(double variance) => transmission * (variance - 1) + (1 - transmission) + addedNoise + 1;
        return new ConditionedReturnedLight(Frame, Rows, Modes, Uses, sums, _transmission * transmission,
            Through(_varianceX), Through(_varianceP), Through(_varianceRest));
    }

    private protected override ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise)
    {
        var t = _transmission;
        var a = Math.Sqrt(t);
        var s = _sums;
        var rowUses = Rows * Uses;
        // X along x: mean_i = 2a Re beta_i + DX_i, direction_i = 2 Re beta_i.
        var alongX = new ProjectedGaussian(rowUses, 4 * s.ReRe, 4 * a * s.ReRe + 2 * s.ReOffsetX, 4 * t * s.ReRe + 4 * a * s.ReOffsetX + s.OffsetXOffsetX);
        // P along x: mean_i = 2a Im beta_i + DP_i, direction_i = 2 Im beta_i.
        var alongP = new ProjectedGaussian(rowUses, 4 * s.ImIm, 4 * a * s.ImIm + 2 * s.ImOffsetP, 4 * t * s.ImIm + 4 * a * s.ImOffsetP + s.OffsetPOffsetP);
        var (cx, qx) = alongX.Sample(Math.Sqrt(_varianceX), noise);
        var (cp, qp) = alongP.Sample(Math.Sqrt(_varianceP), noise);
        double correlation = cx + cp, energy = qx + qp;
        var referenceEnergy = 4 * reference.TotalPhotons * Uses;
        if (Modes > 1)
        {
            // The rest of the reference, |A|^2 - 4 sum |beta|^2 (never negative but for rounding),
            // around mean a A_rest + D_rest, in every other real dimension.
            var rest = Math.Max(0, referenceEnergy - 4 * (s.ReRe + s.ImIm));
            var group = new ProjectedGaussian(rowUses, rest, a * rest + s.RestDot, t * rest + 2 * a * s.RestDot + s.RestSquared);
            var (cr, qr) = group.Sample(Math.Sqrt(_varianceRest), noise);
            correlation += cr;
            energy += qr + _varianceRest * noise.NextChiSquared((double)rowUses * (2 * Modes - 3));
        }
        return new ResidualStatistics(2 * rowUses * Modes, rowUses, referenceEnergy, correlation, energy);
    }
}
