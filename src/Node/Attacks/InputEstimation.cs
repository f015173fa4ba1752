using System.Numerics;
using QSI.Federation.Inference;
using QSI.Protocol.Attacks;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Node.Attacks;

/// <summary>What the curious server made of the clients' inputs, over every query of a series.</summary>
/// <param name="MeanSquaredError">Mean over modes and queries of (theta-hat_j - theta_j)^2, theta_j = |x_j|^2 of the first layer's input.</param>
/// <param name="StandardError">Its standard error: the spread of the queries' own mean squared errors over sqrt(queries).</param>
/// <param name="CramerRao">Mean over modes and queries of the Cramér-Rao bound (2 + eps0 theta_j)^2 / (M eps0^2).</param>
/// <param name="DirectionOverlap">Mean |x^dagger v| of the covariance's leading eigenvector v.</param>
/// <param name="RandomOverlap">Mean |x^dagger u| of a uniformly random direction u, for comparison.</param>
internal sealed record InputEstimates(double MeanSquaredError, double StandardError, double CramerRao, double DirectionOverlap, double RandomOverlap)
{
    /// <summary>MSE over the bound: 1 for an efficient estimator, never below it but by chance.</summary>
    public double Ratio => MeanSquaredError / CramerRao;
}

/// <summary>
/// The curious server of PROTOCOL.md section 5 as the verifier's side of a series of queries
/// (<see cref="LightMeasurement"/>): it heterodynes the first layer's mode-by-mode light with
/// <see cref="CuriousServer.Measure"/>, estimates |x_j|^2 per mode and the direction x, and checks
/// the rest of the light as the verifier does. Safe to use from several threads (each query
/// writes only its own entries).
/// </summary>
internal sealed class InputEstimation(int queries, double gain, double transmission)
{
    private readonly double[] _squaredError = new double[queries];
    private readonly double[] _cramerRao = new double[queries];
    private readonly double[] _overlap = new double[queries];
    private readonly double[] _randomOverlap = new double[queries];

    /// <summary>Measures query <paramref name="query"/>'s light; a <see cref="LightMeasurement"/>.</summary>
    public ResidualStatistics Measure(int query, ReadOnlySpan<float> input, IReadOnlyList<ReturnedLight> light, IReadOnlyList<FrameReference> references, NoiseSource noise)
    {
        var residuals = CuriousServer.Measure(light[0], references[0], transmission, noise);
        var statistics = residuals.Statistics;
        for (var l = 1; l < light.Count; l++) statistics += light[l].MeasureHeterodyne(references[l], noise);

        var x = UnitInput(input, residuals.Modes);
        var estimate = residuals.MagnitudesFromVariance(gain);
        double error = 0, bound = 0;
        for (var j = 0; j < x.Length; j++)
        {
            var theta = x[j].Magnitude * x[j].Magnitude;
            error += Square(estimate[j] - theta);
            bound += CuriousServer.CramerRao(theta, residuals.Rows, gain);
        }
        _squaredError[query] = error / x.Length;
        _cramerRao[query] = bound / x.Length;
        _overlap[query] = Overlap(x, residuals.DirectionFromCovariance().Direction);
        _randomOverlap[query] = Overlap(x, RandomDirection(x.Length, noise));
        return statistics;
    }

    /// <summary>The estimates over every query.</summary>
    public InputEstimates Summary()
    {
        var mse = _squaredError.Average();
        var spread = Math.Sqrt(_squaredError.Sum(e => Square(e - mse)) / Math.Max(1, queries - 1));
        return new InputEstimates(mse, spread / Math.Sqrt(queries), _cramerRao.Average(), _overlap.Average(), _randomOverlap.Average());
    }

    /// <summary>x = z/|z| as n' complex modes (packed as the frames pack weights, an odd last mode padded with 0).</summary>
    private static Complex[] UnitInput(ReadOnlySpan<float> z, int modes)
    {
        double norm = 0;
        foreach (var v in z) norm += (double)v * v;
        norm = Math.Sqrt(norm);
        var x = new Complex[modes];
        if (norm == 0) return x;
        for (var j = 0; j < modes; j++)
            x[j] = new Complex(z[2 * j] / norm, 2 * j + 1 < z.Length ? z[2 * j + 1] / norm : 0);
        return x;
    }

    private static Complex[] RandomDirection(int modes, NoiseSource noise)
    {
        var u = new Complex[modes];
        double norm = 0;
        for (var j = 0; j < modes; j++)
        {
            u[j] = new Complex(noise.NextGaussian(), noise.NextGaussian());
            norm += u[j].Magnitude * u[j].Magnitude;
        }
        for (var j = 0; j < modes; j++) u[j] /= Math.Sqrt(norm);
        return u;
    }

    private static double Overlap(Complex[] x, Complex[] v)
    {
        var dot = Complex.Zero;
        for (var j = 0; j < x.Length; j++) dot += Complex.Conjugate(x[j]) * v[j];
        return dot.Magnitude;
    }

    private static double Square(double x) => x * x;
}
