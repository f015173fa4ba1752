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
        var m = Rows;
        var amplitude = Math.Sqrt(_transmission);
        var meanX = new double[m];
        var meanP = new double[m];
        var directionX = new double[m];
        var directionP = new double[m];
        var restDirection = new double[m];
        var restMean = new double[m];
        double referenceEnergy = 0;
        for (var i = 0; i < m; i++)
        {
            var rowPhotons = reference.RowPhotons(i);
            referenceEnergy += 4 * rowPhotons;
            directionX[i] = 2 * _betaRe[i];
            directionP[i] = 2 * _betaIm[i];
            meanX[i] = amplitude * directionX[i] + _shiftX[i];
            meanP[i] = amplitude * directionP[i];
            // |reference|^2 outside the x direction: 4(|alpha_i|^2 - |beta_i|^2).
            var beta2 = _betaRe[i] * _betaRe[i] + _betaIm[i] * _betaIm[i];
            restDirection[i] = 2 * Math.Sqrt(Math.Max(0, rowPhotons - beta2));
            restMean[i] = amplitude * restDirection[i];
        }
        var (cx, qx) = ProjectedGaussian.Sample(meanX, Math.Sqrt(_varianceX), directionX, noise);
        var (cp, qp) = ProjectedGaussian.Sample(meanP, Math.Sqrt(_varianceP), directionP, noise);
        double correlation = cx + cp, energy = qx + qp;
        if (Modes > 1)
        {
            // Vacuum plus heterodyne noise, variance 2, in every other real dimension.
            var (cr, qr) = ProjectedGaussian.Sample(restMean, Math.Sqrt(2), restDirection, noise);
            correlation += cr;
            energy += qr + 2 * noise.NextChiSquared((double)m * (2 * Modes - 3));
        }
        return new ResidualStatistics(2L * m * Modes, m, referenceEnergy, correlation, energy);
    }
}
