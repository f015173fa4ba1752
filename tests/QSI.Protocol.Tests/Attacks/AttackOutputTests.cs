using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests.Attacks;

public class AttackOutputTests
{
    [Theory]
    [InlineData("tap:0.3")]
    [InlineData("tap-reamplify:0.3")]
    [InlineData("overgain:6")]
    [InlineData("intercept-resend")]
    [InlineData("withhold")]
    [InlineData("partial:0.5")]
    public void An_attackers_outputs_stay_unbiased_estimates_of_W_z(string spec)
    {
        // Each attacker knows what its optics did (r, G', the diverted modes) and scales or
        // completes its estimate, so that it still serves the federation (and hides).
        const int rows = 5, columns = 11, uses = 4000;
        const double transmission = 0.8;
        var weights = ProtocolFixture.Weights(rows, columns, seed: 1);
        var input = ProtocolFixture.Input(columns, seed: 2);
        // Bright light (mu = 100, SNR about 100): 4.5 standard errors of the mean are under 1 % of W z.
        var layer = ProtocolFixture.Encode(weights, rows, columns, photons: 100, copies: uses);
        layer.Light.PassThroughChannel(transmission);
        var device = Attack.Parse(spec).Device(2);
        var noise = NoiseSource.Seeded(91);
        var outputs = new double[uses][];
        for (var k = 0; k < uses; k++) outputs[k] = device.Measure(layer.Light, input, noise).Outputs.Select(v => (double)v).ToArray();
        for (var i = 0; i < rows; i++)
        {
            var exact = Enumerable.Range(0, columns).Sum(j => (double)weights[i * columns + j] * input[j]);
            var mean = outputs.Average(o => o[i]);
            var sd = Math.Sqrt(outputs.Sum(o => (o[i] - mean) * (o[i] - mean)) / (uses - 1));
            Assert.True(Math.Abs(mean - exact) <= 4.5 * sd / Math.Sqrt(uses), $"{spec}, row {i}: mean {mean:F4} against W z = {exact:F4} (sd {sd:F3})");
        }
    }
}
