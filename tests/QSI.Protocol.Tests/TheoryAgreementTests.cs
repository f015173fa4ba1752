using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests;

public class TheoryAgreementTests
{
    [Theory]
    [InlineData(SimulationPath.SufficientStatistics, 2.0, 4.0, 200_000)]
    [InlineData(SimulationPath.SufficientStatistics, 3.4, 2.32, 200_000)]
    [InlineData(SimulationPath.ModeByMode, 2.0, 4.0, 40_000)]
    public void Measured_snr_matches_2_mu_kappa_w_x_squared_over_mean_square_weight_within_two_percent(
        SimulationPath path, double gain, double photons, int samples)
    {
        const int rows = 4, columns = 16;
        var weights = ProtocolFixture.Weights(rows, columns, seed: 3);
        // An input close to row 0's weights: SNR of order 10, so 2 % is many standard errors
        // wide at this sample size and a real bias of 2 % would not pass.
        var perturbation = ProtocolFixture.Input(columns, seed: 4);
        var input = Enumerable.Range(0, columns).Select(j => weights[j] + 0.05f * perturbation[j]).ToArray();
        var layer = ProtocolFixture.Encode(weights, rows, columns, photons, samples);
        var device = new ClientDevice(gain, path);
        var noise = NoiseSource.Seeded(21);
        double sum = 0, sumSquares = 0;
        for (var k = 0; k < samples; k++)
        {
            var y = device.Measure(layer.Light, input, noise).Outputs[0];
            sum += y;
            sumSquares += (double)y * y;
        }
        var mean = sum / samples;
        var variance = sumSquares / samples - mean * mean;

        var norm = Math.Sqrt(input.Sum(v => (double)v * v));
        var wx = Enumerable.Range(0, columns).Sum(j => (double)weights[j] * input[j]) / norm;
        var meanSquare = weights.Average(w => (double)w * w);
        var expected = new DeviceNoise(gain).SignalFactor(photons) * wx * wx / meanSquare;
        Assert.Equal(norm * wx, mean, 0.02 * Math.Abs(norm * wx));
        Assert.InRange(mean * mean / variance, 0.98 * expected, 1.02 * expected);
    }

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics, 2.0, 1.0, 3000)]
    [InlineData(SimulationPath.SufficientStatistics, 4.0, 0.8, 3000)]
    [InlineData(SimulationPath.ModeByMode, 2.0, 0.9, 1500)]
    public void Pooled_excess_noise_and_transmission_estimates_match_theory_within_two_percent(
        SimulationPath path, double gain, double transmission, int frames)
    {
        // Few modes per row and many rows: each row use's excess eps0 is large against the
        // vacuum of its 2n' dimensions, so the estimate is tight.
        const int rows = 200, columns = 4;
        var weights = ProtocolFixture.Weights(rows, columns, seed: 7);
        var layer = ProtocolFixture.Encode(weights, rows, columns, photons: 4, copies: frames);
        layer.Light.PassThroughChannel(transmission);
        var device = new ClientDevice(gain, path);
        var noise = NoiseSource.Seeded(8);
        var pooled = ResidualStatistics.None;
        for (var k = 0; k < frames; k++)
        {
            var input = ProtocolFixture.Input(columns, seed: 100 + k);
            pooled += device.Measure(layer.Light, input, noise).Residual!.MeasureHeterodyne(layer.Reference, noise);
        }
        var (t, eps) = ResidualVerifier.Estimate(pooled);
        var eps0 = new DeviceNoise(gain).ExcessNoise;
        Assert.InRange(eps, 0.98 * eps0, 1.02 * eps0);
        Assert.InRange(t, 0.98 * transmission, 1.02 * transmission);
    }
}
