using MathNet.Numerics.LinearAlgebra;
using QSI.Federation.Models;

namespace QSI.Federation.Adversaries;

/// <summary>The posterior of one layer: its mean, and what the attacker can say of its error without knowing W.</summary>
/// <param name="Mean">Posterior mean of W (and b).</param>
/// <param name="ExpectedSquaredError">Trace of the posterior covariance: the expected |W^ - W|^2 over weights and bias.</param>
/// <param name="InformationBits">Mutual information between the layer and the measurements under the Gaussian prior, in bits for the whole layer.</param>
internal sealed record LayerPosteriorResult(DenseLayer Mean, double ExpectedSquaredError, double InformationBits);

/// <summary>
/// The exact Gaussian posterior of a layer's W (m x n, with bias b) from both of its regressions
/// (PROTOCOL.md section 6): the forward frame's rows (w_i, b_i) regressed on inputs, and the
/// transposed frame's rows, the columns c_j of W, regressed on deltas, under the prior
/// N(0, tau^2) per weight.
/// </summary>
/// <remarks>
/// Forward uses give every row the same precision P = A_f + I/tau^2 over (w_i, b_i); integrating the
/// bias out leaves the Schur complement S = P_ww - p_wb p_wb^T / p_bb on w_i. Transposed uses give
/// every column the likelihood precision A_b. The joint precision of W is the Kronecker sum
/// S (+) A_b, diagonal in the eigenbases S = U diag(s) U^T, A_b = V diag(g) V^T: with
/// W' = V^T W U, the posterior mean solves W S + A_b W = R, i.e. W'_kj = R'_kj / (s_j + g_k),
/// and the variance of W'_kj is 1/(s_j + g_k). The bias follows from its conditional on w_i, as
/// transposed uses carry no bias. Picking the better of the two regressions is never better than
/// this, and a layer seen one way only is the special case g = 0 or A_f = 0.
/// </remarks>
internal static class LayerPosterior
{
    /// <summary>
    /// The posterior of an m x n layer (<paramref name="bias"/>: with an m-vector b) from
    /// <paramref name="forward"/> (n or n + 1 inputs, m outputs) and <paramref name="transposed"/>
    /// (m inputs, n outputs) normal equations, either of which may be missing.
    /// </summary>
    public static LayerPosteriorResult Solve(int rows, int columns, bool bias, double priorVariance,
        NormalEquations? forward, NormalEquations? transposed)
    {
        int m = rows, n = columns, width = n + (bias ? 1 : 0);
        var build = Matrix<double>.Build;
        forward?.Settle();
        transposed?.Settle();

        // The forward precision P (width x width) and B_f^T (m x width); a row-major array of a
        // symmetric matrix is its column-major array too, and a row-major width x m is B_f^T column-major.
        var precision = forward is null ? build.Dense(width, width) : build.Dense(width, width, (double[])forward.Gram.Clone());
        for (var k = 0; k < width; k++) precision[k, k] += 1 / priorVariance;
        var crossForward = forward is null ? build.Dense(m, width) : build.Dense(m, width, (double[])forward.Cross.Clone());

        Matrix<double> schur, linear;
        Vector<double>? coupling = null;
        double biasPrecision = 0;
        if (bias)
        {
            biasPrecision = precision[n, n];
            coupling = precision.Column(n, 0, n);
            schur = precision.SubMatrix(0, n, 0, n) - coupling.OuterProduct(coupling) / biasPrecision;
            linear = crossForward.SubMatrix(0, m, 0, n) - crossForward.Column(n).OuterProduct(coupling) / biasPrecision;
        }
        else
        {
            schur = precision;
            linear = crossForward;
        }

        var rowSpace = schur.Evd(Symmetricity.Symmetric);
        var s = rowSpace.EigenValues.Real();
        var u = rowSpace.EigenVectors;
        Matrix<double>? v = null;
        var g = new double[m];
        if (transposed is not null)
        {
            // Transposed Cross is m x n row-major, i.e. B_b^T as an n x m column-major matrix.
            linear += build.Dense(n, m, (double[])transposed.Cross.Clone()).Transpose();
            var columnSpace = build.Dense(m, m, (double[])transposed.Gram.Clone()).Evd(Symmetricity.Symmetric);
            v = columnSpace.EigenVectors;
            // A Gram matrix is positive semi-definite; clip rounding below zero.
            for (var k = 0; k < m; k++) g[k] = Math.Max(0, columnSpace.EigenValues[k].Real);
        }

        var rotated = (v is null ? linear : v.TransposeThisAndMultiply(linear)) * u;
        double error = 0, logDeterminant = 0;
        var projectedCoupling = coupling is null ? null : u.TransposeThisAndMultiply(coupling);
        double couplingError = 0;
        for (var j = 0; j < n; j++)
        {
            double columnError = 0;
            for (var k = 0; k < m; k++)
            {
                var total = s[j] + g[k];
                rotated[k, j] /= total;
                columnError += 1 / total;
                logDeterminant += Math.Log(total * priorVariance);
            }
            error += columnError;
            if (projectedCoupling is not null) couplingError += projectedCoupling[j] * projectedCoupling[j] * columnError;
        }
        var mean = (v is null ? rotated : v * rotated).TransposeAndMultiply(u);

        var weights = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++) weights[i * n + j] = (float)mean[i, j];
        float[]? offsets = null;
        if (bias)
        {
            // b_i | w_i ~ N((B_f[n, i] - p_wb.w_i) / p_bb, 1 / p_bb), averaged over the posterior of w_i.
            offsets = new float[m];
            var fitted = mean * coupling!;
            for (var i = 0; i < m; i++) offsets[i] = (float)((crossForward[i, n] - fitted[i]) / biasPrecision);
            error += m / biasPrecision + couplingError / (biasPrecision * biasPrecision);
            logDeterminant += m * Math.Log(biasPrecision * priorVariance);
        }
        return new LayerPosteriorResult(new DenseLayer(m, n, weights, offsets), error, logDeterminant / (2 * Math.Log(2)));
    }
}
