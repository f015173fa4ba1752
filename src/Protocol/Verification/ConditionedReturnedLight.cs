using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Returned light described exactly by its Gaussian state, in O(m) numbers: every mode holds
/// the reference amplitude times sqrt(T), except along the client's input direction x, where
/// row i carries amplitude sqrt(T) beta_i (beta_i = conj(x) . alpha_i) shifted by the
/// client's own measurement outcome, with extra variance (PROTOCOL.md section 7).
/// </summary>
/// <remarks>
/// In the basis whose first mode is x, the verifier's heterodyne outcomes are: along x,
/// X = 2 sqrt(T) Re beta + shift + N(0, varX), P = 2 sqrt(T) Im beta + N(0, varP); in the
/// other 2n'-2 real dimensions, sqrt(T) times the rest of the reference plus N(0, 2) noise.
/// The statistics are drawn from that law directly, without one random number per mode.
/// </remarks>
internal sealed class ConditionedReturnedLight : ReturnedLight
{
    private readonly double[] _betaRe;
    private readonly double[] _betaIm;
    private readonly double[] _shiftX;
    private readonly double _transmission;
    private readonly double _varianceX;
    private readonly double _varianceP;

    /// <param name="frame">The frame used.</param>
    /// <param name="modes">Modes per row n'.</param>
    /// <param name="betaRe">Re beta_i per row.</param>
    /// <param name="betaIm">Im beta_i per row.</param>
    /// <param name="shiftX">Mean shift of the X quadrature along x, per row, given the client's outcome.</param>
    /// <param name="transmission">Channel transmission T the light went through.</param>
    /// <param name="varianceX">Variance of the X quadrature along x, heterodyne noise included.</param>
    /// <param name="varianceP">Variance of the P quadrature along x, heterodyne noise included.</param>
    public ConditionedReturnedLight(FrameId frame, int modes, double[] betaRe, double[] betaIm, double[] shiftX,
        double transmission, double varianceX, double varianceP) : base(frame, betaRe.Length, modes)
    {
        _betaRe = betaRe;
        _betaIm = betaIm;
        _shiftX = shiftX;
        _transmission = transmission;
        _varianceX = varianceX;
        _varianceP = varianceP;
    }

    private protected override ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise)
    {
        var amplitude = Math.Sqrt(_transmission);
        ProjectedGaussian alongX = default, alongP = default, rest = default;
        double referenceEnergy = 0;
        for (var i = 0; i < Rows; i++)
        {
            var rowPhotons = reference.RowPhotons(i);
            referenceEnergy += 4 * rowPhotons;
            var directionX = 2 * _betaRe[i];
            var directionP = 2 * _betaIm[i];
            alongX = alongX.Add(amplitude * directionX + _shiftX[i], directionX);
            alongP = alongP.Add(amplitude * directionP, directionP);
            // |reference|^2 outside the x direction: 4(|alpha_i|^2 - |beta_i|^2).
            var beta2 = _betaRe[i] * _betaRe[i] + _betaIm[i] * _betaIm[i];
            var restDirection = 2 * Math.Sqrt(Math.Max(0, rowPhotons - beta2));
            rest = rest.Add(amplitude * restDirection, restDirection);
        }
        var (cx, qx) = alongX.Sample(Math.Sqrt(_varianceX), noise);
        var (cp, qp) = alongP.Sample(Math.Sqrt(_varianceP), noise);
        double correlation = cx + cp, energy = qx + qp;
        if (Modes > 1)
        {
            // Vacuum plus heterodyne noise, variance 2, in every other real dimension.
            var (cr, qr) = rest.Sample(Math.Sqrt(2), noise);
            correlation += cr;
            energy += qr + 2 * noise.NextChiSquared((double)Rows * (2 * Modes - 3));
        }
        return new ResidualStatistics(2L * Rows * Modes, Rows, referenceEnergy, correlation, energy);
    }
}
