using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Leakage;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests.Attacks;

public class InterceptionTests
{
    private const int Rows = AttackChecks.Rows, Columns = AttackChecks.Columns, Modes = AttackChecks.Modes;

    [Theory]
    [InlineData("tap:0.2", SimulationPath.SufficientStatistics, 1)]
    [InlineData("tap:0.2", SimulationPath.ModeByMode, 8)]
    [InlineData("tap-reamplify:0.2", SimulationPath.SufficientStatistics, 8)]
    [InlineData("tap-reamplify:0.2", SimulationPath.ModeByMode, 1)]
    [InlineData("intercept-resend", SimulationPath.SufficientStatistics, 8)]
    [InlineData("intercept-resend", SimulationPath.ModeByMode, 1)]
    [InlineData("partial:0.5", SimulationPath.SufficientStatistics, 1)]
    [InlineData("partial:0.5", SimulationPath.ModeByMode, 8)]
    public void The_attackers_pooled_estimate_is_unbiased_with_the_stated_variance(string spec, SimulationPath path, int copies)
    {
        const double transmission = 0.9;
        var attack = Attack.Parse(spec);
        var (layer, weights, device, _) = Measure(attack, path, transmission, copies, seed: 71);
        var estimate = device.Knowledge.Of(layer.Light.Id)!;

        // 2 / (K (2 s)^2 t): heterodyne noise 2 per quadrature at amplitude 2 sqrt(t) s w, K copies pooled.
        var tapped = attack is Tap tap ? tap.Reflectivity : attack is TapReamplify again ? again.Reflectivity : 1;
        var s = layer.Reference.Scale;
        Assert.Equal(2 / (copies * 4 * s * s * transmission * tapped), estimate.Variance, 12);
        Assert.Equal(copies, estimate.Copies);
        Assert.Equal(attack is PartialReturn partial ? partial.FirstDiverted(Modes) : 0, estimate.FirstMode);

        var errors = new List<double>();
        for (var i = 0; i < Rows; i++)
            for (var e = 2 * estimate.FirstMode; e < Columns; e++)
                errors.Add(estimate.PackedWeights[i * 2 * Modes + e] - weights[i * Columns + e]);
        var mean = errors.Average();
        var variance = errors.Sum(x => x * x) / errors.Count;
        // N Gaussian errors: the mean within 4.5 sqrt(v/N), the mean square within 4.5 sqrt(2/N) of v.
        Assert.InRange(mean, -4.5 * Math.Sqrt(estimate.Variance / errors.Count), 4.5 * Math.Sqrt(estimate.Variance / errors.Count));
        Assert.InRange(variance / estimate.Variance, 1 - 4.5 * Math.Sqrt(2.0 / errors.Count), 1 + 4.5 * Math.Sqrt(2.0 / errors.Count));
    }

    [Theory]
    [InlineData("tap:0.2", 1)]
    [InlineData("tap:0.2", 20)]
    [InlineData("tap-reamplify:0.2", 1)]
    [InlineData("tap-reamplify:0.2", 20)]
    [InlineData("intercept-resend", 1)]
    [InlineData("intercept-resend", 20)]
    [InlineData("partial:0.5", 1)]
    [InlineData("partial:0.5", 20)]
    public void What_the_attacker_learns_never_exceeds_the_Holevo_bound_at_what_the_verifier_measured(string spec, int copies)
    {
        // The attacker's estimates are a Gaussian channel: 1/2 log2(1 + <W^2>/sigma^2) per weight
        // it measured (none for the modes a partial return kept). The verifier, pooling the same K
        // uses, measures T-hat and eps-hat; the Holevo bound of K copies, I_w(K mu, T-hat, eps-hat/n')/2
        // per weight, must cover it (PROTOCOL.md section 4; K copies are one state of K mu photons).
        const double transmission = 0.9;
        var (_, _, device, statistics) = Measure(Attack.Parse(spec), SimulationPath.SufficientStatistics, transmission, copies, seed: 72);
        var learned = device.Knowledge.Of(device.Knowledge.Frames.Single())!.BitsPerWeight;
        var (transmissionSeen, excess) = ResidualVerifier.Estimate(statistics);
        var bound = LeakageBounds.HolevoBitsPerMode(copies * AttackChecks.Photons, Math.Min(1, transmissionSeen), Math.Max(0, excess) / Modes) / 2;
        Assert.True(learned <= bound, $"{spec}, {copies} copies: the attacker learned {learned:F4} bits per weight; the bound at T-hat {transmissionSeen:F4}, eps-hat {excess:F3} is {bound:F4}");
        Assert.True(learned > 0.05, $"{spec} should learn something: {learned:F4} bits per weight");
    }

    [Fact]
    public void Devices_that_measure_nothing_beyond_their_outputs_know_nothing_more()
    {
        foreach (var attack in new Attack[] { new OverGain(4), new Withhold() })
        {
            var (layer, _, device, _) = Measure(attack, SimulationPath.SufficientStatistics, 1, copies: 2, seed: 73);
            Assert.Null(device.Knowledge.Of(layer.Light.Id));
            Assert.Empty(device.Knowledge.Frames);
        }
    }

    private static (QSI.Protocol.Encoding.EncodedLayer Layer, float[] Weights, DishonestDevice Device, ResidualStatistics Statistics) Measure(
        Attack attack, SimulationPath path, double transmission, int copies, int seed)
    {
        var weights = ProtocolFixture.SignWeights(Rows, Columns, seed: 9);
        var layer = ProtocolFixture.Encode(weights, Rows, Columns, AttackChecks.Photons, copies);
        layer.Light.PassThroughChannel(transmission);
        var device = attack.Device(AttackChecks.Gain, path);
        var noise = NoiseSource.Seeded(seed);
        var statistics = ResidualStatistics.None;
        for (var k = 0; k < copies; k++)
        {
            // A different input each use: K uses of one frame by one client.
            var input = ProtocolFixture.Input(Columns, seed: 100 + k);
            if (device.Measure(layer.Light, input, noise).Residual is { } light) statistics += light.MeasureHeterodyne(layer.Reference, noise);
        }
        return (layer, weights, device, statistics);
    }
}
