using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Returned light described exactly by its Gaussian state, reduced to what a heterodyne
/// measurement against the frame's reference can reveal (PROTOCOL.md section 7). Every mode
/// holds the reference amplitude times sqrt(T), except along the client's input direction x,
/// where row i carries sqrt(T) beta_i (beta_i = conj(x) . alpha_i) shifted by the client's own
/// measurement outcome, with extra variance.
/// </summary>
/// <remarks>
/// In the basis whose first mode is x, the verifier's heterodyne outcomes of row i are:
/// along x, X = 2 sqrt(T) Re beta_i + shift_i + N(0, varX) and P = 2 sqrt(T) Im beta_i + N(0, varP);
/// in the other 2n'-2 real dimensions, sqrt(T) times the rest of the reference (energy
/// 4(|alpha_i|^2 - |beta_i|^2)) plus N(0, 2). The statistics (sum H.A, sum H^2) of those
/// Gaussian vectors depend on the rows only through the sums kept here, so the state
/// travels as O(1) numbers and is measured without one random number per mode. The same holds
/// for many uses of the frame: their outcomes form one longer Gaussian vector with the same
/// noise per group, so the light of K uses is the sums over all K m row uses.
/// </remarks>
internal sealed class ConditionedReturnedLight : ReturnedLight
{
    private readonly RowSums _sums;
    private readonly double _transmission;
    private readonly double _varianceX;
    private readonly double _varianceP;

    /// <param name="frame">The frame used.</param>
    /// <param name="rows">Rows m.</param>
    /// <param name="modes">Modes per row n'.</param>
    /// <param name="uses">Uses of the frame the sums run over.</param>
    /// <param name="sums">Sums over every row of every use of beta and the X shifts.</param>
    /// <param name="transmission">Channel transmission T the light went through.</param>
    /// <param name="varianceX">Variance of the X quadrature along x, heterodyne noise included.</param>
    /// <param name="varianceP">Variance of the P quadrature along x, heterodyne noise included.</param>
    public ConditionedReturnedLight(FrameId frame, int rows, int modes, long uses, RowSums sums, double transmission, double varianceX, double varianceP)
        : base(frame, rows, modes, uses)
    {
        _sums = sums;
        _transmission = transmission;
        _varianceX = varianceX;
        _varianceP = varianceP;
    }

    internal RowSums Sums => _sums;
    internal double Transmission => _transmission;
    internal double VarianceX => _varianceX;
    internal double VarianceP => _varianceP;

    /// <summary>Sums over rows: Re beta^2, Re beta * shift, shift^2, Im beta^2.</summary>
    internal readonly record struct RowSums(double ReRe, double ReShift, double ShiftShift, double ImIm)
    {
        public RowSums Add(double re, double im, double shift) =>
            new(ReRe + re * re, ReShift + re * shift, ShiftShift + shift * shift, ImIm + im * im);

        public static RowSums operator +(RowSums a, RowSums b) =>
            new(a.ReRe + b.ReRe, a.ReShift + b.ReShift, a.ShiftShift + b.ShiftShift, a.ImIm + b.ImIm);
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
                || c._varianceX != first._varianceX || c._varianceP != first._varianceP)
                return null;
            sums += c._sums;
            uses += c.Uses;
        }
        return new ConditionedReturnedLight(first.Frame, first.Rows, first.Modes, uses, sums, first._transmission, first._varianceX, first._varianceP);
    }

    private protected override ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise)
    {
        var t = _transmission;
        var a = Math.Sqrt(t);
        var s = _sums;
        var rowUses = Rows * Uses;
        // X along x: mean_i = 2a Re beta_i + shift_i, direction_i = 2 Re beta_i.
        var alongX = new ProjectedGaussian(rowUses, 4 * s.ReRe, 4 * a * s.ReRe + 2 * s.ReShift, 4 * t * s.ReRe + 4 * a * s.ReShift + s.ShiftShift);
        // P along x: mean_i = 2a Im beta_i, direction_i = 2 Im beta_i.
        var alongP = new ProjectedGaussian(rowUses, 4 * s.ImIm, 4 * a * s.ImIm, 4 * t * s.ImIm);
        var (cx, qx) = alongX.Sample(Math.Sqrt(_varianceX), noise);
        var (cp, qp) = alongP.Sample(Math.Sqrt(_varianceP), noise);
        double correlation = cx + cp, energy = qx + qp;
        var referenceEnergy = 4 * reference.TotalPhotons * Uses;
        if (Modes > 1)
        {
            // The rest of the reference, |A|^2 - 4 sum |beta|^2 (never negative but for rounding),
            // under vacuum plus heterodyne noise, variance 2, in every other real dimension.
            var rest = Math.Max(0, referenceEnergy - 4 * (s.ReRe + s.ImIm));
            var (cr, qr) = new ProjectedGaussian(rowUses, rest, a * rest, t * rest).Sample(Math.Sqrt(2), noise);
            correlation += cr;
            energy += qr + 2 * noise.NextChiSquared((double)rowUses * (2 * Modes - 3));
        }
        return new ResidualStatistics(2 * rowUses * Modes, rowUses, referenceEnergy, correlation, energy);
    }
}
