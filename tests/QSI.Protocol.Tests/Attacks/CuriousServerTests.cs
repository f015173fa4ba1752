using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Leakage;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests.Attacks;

public class CuriousServerTests
{
    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(3.0, 0.8)]
    public void The_per_mode_estimate_is_unbiased_with_its_error_at_the_Cramer_Rao_bound(double gain, double transmission)
    {
        const int rows = 60, columns = 10, draws = 2000;
        var input = ProtocolFixture.Input(columns, seed: 3);
        var magnitudes = Magnitudes(input);
        var errors = Draw(gain, transmission, rows, input, draws, seed: 81, r => r.MagnitudesFromVariance(gain));
        for (var j = 0; j < magnitudes.Length; j++)
        {
            var bound = CuriousServer.CramerRao(magnitudes[j], rows, gain);
            var mean = errors.Average(e => e[j]);
            var ratio = errors.Average(e => e[j] * e[j]) / bound;
            // The estimate averages 2M near-Gaussian squares: its error is near-Gaussian, so the
            // MSE of N draws has relative sd sqrt(2/N), 3.2 % here.
            Assert.InRange(mean, -4.5 * Math.Sqrt(bound / draws), 4.5 * Math.Sqrt(bound / draws));
            Assert.InRange(ratio, 1 - 4.5 * Math.Sqrt(2.0 / draws), 1 + 4.5 * Math.Sqrt(2.0 / draws));
        }
    }

    [Fact]
    public void An_input_reused_by_many_rows_tells_the_per_mode_estimate_more_than_DataBits_allows()
    {
        // DataBits (section 4) counts N = n' measurements per element; a use gives 2M outcomes
        // per mode. At |x_j|^2 = 1/n' (the bound's own typical element) and M = 200 rows of
        // n' = 5 modes, the unbiased estimate's error, read as DataBits reads a variance
        // (sigma_x^2 = MSE / (4 theta)), is worth 1/2 log2(1 + 8 theta^2 / MSE) bits: about M/(2n')
        // times the bound's signal-to-noise. The authors' conservative bound, with M, covers it.
        const int rows = 200, modes = 5, draws = 300;
        const double theta = 1.0 / modes;
        var errors = Draw(2, 1, rows, Uniform(modes), draws, seed: 82, r => r.MagnitudesFromVariance(2));
        var mse = errors.Average(e => e.Average(x => x * x));
        var bits = 0.5 * Math.Log2(1 + 8 * theta * theta / mse);
        var bound = LeakageBounds.DataBits(2, modes);
        Assert.True(bits > 5 * bound, $"the estimate is worth {bits:F3} bits per element; DataBits allows {bound:F4}");
        Assert.True(bits < LeakageBounds.DataBitsConservative(2, modes, rows), $"{bits:F3} bits per element should stay under the conservative bound");
    }

    [Theory]
    // Spike eps0/2 = 0.5 on covariance 4 per mode, c = n'/M: the sample eigenvector's overlap
    // with x tends to (1 - c/l^2)/(1 + c/l) above c = l^2 (0.727 at c = 0.05, 0.857 at 0.025).
    [InlineData(400, 20, 0.727)]
    [InlineData(200, 5, 0.857)]
    public void The_residuals_covariance_gives_the_server_the_input_direction_signs_and_all(int rows, int modes, double overlap)
    {
        const int draws = 150;
        var overlaps = Overlaps(rows, Signed(2 * modes, seed: 5), draws, seed: 84);
        var mean = overlaps.Average();
        // Finite n' lifts the overlap above its limit: 0.732 and 0.887 measured; a random direction gives 1/n'.
        Assert.InRange(mean, overlap - 0.02, overlap + 0.05);
        // Read as a Gaussian channel per element (estimate = sqrt(q) x + noise of power 1 - q),
        // -1/2 log2(1 - q) bits: several times what DataBits allows.
        var bits = -0.5 * Math.Log2(1 - mean);
        Assert.True(bits > 4 * LeakageBounds.DataBits(2, modes), $"the direction is worth {bits:F3} bits per element; DataBits allows {LeakageBounds.DataBits(2, modes):F4}");
    }

    [Theory]
    // The MNIST network's transposed last layer (784 rows reuse a 10-value gradient), a square
    // layer (M = 2n'), and two shapes between.
    [InlineData(784, 5, 60)]
    [InlineData(200, 5, 150)]
    [InlineData(400, 20, 60)]
    [InlineData(60, 30, 150)]
    public void Neither_of_the_curious_servers_estimators_learns_more_per_element_than_the_account_charges(int rows, int modes, int draws)
    {
        const double theta = 1.0;
        var charged = LeakageBounds.DataBitsPerUse(2, modes, rows);
        var errors = Draw(2, 1, rows, Uniform(modes), draws, seed: 85, r => r.MagnitudesFromVariance(2));
        var mse = errors.Average(e => e.Average(x => x * x));
        // Read as the bounds read a variance: sigma_x^2 = MSE / (4 theta), 1/2 log2(1 + 2 theta / sigma_x^2).
        var perMode = 0.5 * Math.Log2(1 + 8 * Square(theta / modes) / mse);
        var overlap = Overlaps(rows, Signed(2 * modes, seed: 6), draws, seed: 86).Average();
        var direction = -0.5 * Math.Log2(1 - overlap);
        Assert.True(perMode < charged, $"FINDING: the per-mode estimate is worth {perMode:F3} bits per element; the account charges {charged:F3}");
        Assert.True(direction < charged, $"FINDING: the direction is worth {direction:F3} bits per element; the account charges {charged:F3}");
    }

    [Fact]
    public void The_server_measures_the_light_once_as_the_verifier_would_and_needs_its_modes()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(6, 8, seed: 1), 6, 8, photons: 4, copies: 3);
        var input = ProtocolFixture.Input(8, seed: 2);
        var device = new ClientDevice(2, SimulationPath.ModeByMode);
        var light = device.Measure(layer.Light, input, NoiseSource.Seeded(3)).Residual!;
        var twin = device.Measure(layer.Light, input, NoiseSource.Seeded(3)).Residual!;

        var residuals = CuriousServer.Measure(light, layer.Reference, 1, NoiseSource.Seeded(4));

        Assert.Equal(twin.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(4)), residuals.Statistics);
        Assert.Throws<InvalidOperationException>(() => light.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(4)));
        var summarised = new ClientDevice(2).Measure(layer.Light, input, NoiseSource.Seeded(5)).Residual!;
        Assert.Contains("simulate it mode by mode", Assert.Throws<ArgumentException>(() => CuriousServer.Measure(summarised, layer.Reference, 1, NoiseSource.Seeded(6))).Message);
    }

    private static float[] Signed(int columns, int seed)
    {
        var noise = NoiseSource.Seeded(seed);
        return Enumerable.Range(0, columns).Select(_ => (float)noise.NextGaussian()).ToArray();
    }

    private static List<double> Overlaps(int rows, float[] input, int draws, int seed)
    {
        var norm = Math.Sqrt(input.Sum(v => (double)v * v));
        var modes = input.Length / 2;
        var x = Enumerable.Range(0, modes).Select(j => new System.Numerics.Complex(input[2 * j] / norm, input[2 * j + 1] / norm)).ToArray();
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(rows, input.Length, seed: 1), rows, input.Length, photons: 4, copies: draws);
        var device = new ClientDevice(2, SimulationPath.ModeByMode);
        var noise = NoiseSource.Seeded(seed);
        var result = new List<double>();
        for (var k = 0; k < draws; k++)
        {
            var light = device.Measure(layer.Light, input, noise).Residual!;
            var v = CuriousServer.Measure(light, layer.Reference, 1, noise).DirectionFromCovariance().Direction;
            var dot = System.Numerics.Complex.Zero;
            for (var j = 0; j < modes; j++) dot += System.Numerics.Complex.Conjugate(v[j]) * x[j];
            result.Add(dot.Magnitude * dot.Magnitude);
        }
        return result;
    }

    private static float[] Uniform(int modes)
    {
        // |x_j|^2 = 1/n' in every mode, at varied phases: the typical element of section 4.
        var z = new float[2 * modes];
        for (var j = 0; j < modes; j++)
        {
            var phase = 0.7 + 1.3 * j;
            (z[2 * j], z[2 * j + 1]) = ((float)Math.Cos(phase), (float)Math.Sin(phase));
        }
        return z;
    }

    private static double[] Magnitudes(float[] input)
    {
        var norm2 = input.Sum(v => (double)v * v);
        var modes = (input.Length + 1) / 2;
        return Enumerable.Range(0, modes).Select(j => (Square(input[2 * j]) + (2 * j + 1 < input.Length ? Square(input[2 * j + 1]) : 0)) / norm2).ToArray();
    }

    private static List<double[]> Draw(double gain, double transmission, int rows, float[] input, int draws, int seed, Func<ReturnedResiduals, double[]> estimate)
    {
        var magnitudes = Magnitudes(input);
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(rows, input.Length, seed: 1), rows, input.Length, photons: 4, copies: draws);
        layer.Light.PassThroughChannel(transmission);
        var device = new ClientDevice(gain, SimulationPath.ModeByMode);
        var noise = NoiseSource.Seeded(seed);
        var errors = new List<double[]>(draws);
        for (var k = 0; k < draws; k++)
        {
            var light = device.Measure(layer.Light, input, noise).Residual!;
            var values = estimate(CuriousServer.Measure(light, layer.Reference, transmission, noise));
            errors.Add(values.Select((v, j) => v - magnitudes[j]).ToArray());
        }
        return errors;
    }

    private static double Square(double x) => x * x;
}
