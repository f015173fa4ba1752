using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests.Attacks;

/// <summary>
/// Both simulation paths of every attack draw from one joint law of what the client learns (its
/// outputs and its heterodyne estimates) and what the verifier measures (as SimulationPathTests
/// shows for the honest device): KS at significance 0.001 on marginals and joint functionals.
/// </summary>
public class AttackPathTests
{
    private const int Rows = 5, Columns = 11, Modes = (Columns + 1) / 2, Samples = 3000;

    [Theory]
    [InlineData("tap:0.05", 1.0)]
    [InlineData("tap:0.3", 0.8)]
    [InlineData("tap-reamplify:0.1", 1.0)]
    [InlineData("tap-reamplify:0.4", 0.8)]
    [InlineData("overgain:3", 1.0)]
    [InlineData("overgain:6", 0.8)]
    [InlineData("intercept-resend", 1.0)]
    [InlineData("intercept-resend", 0.7)]
    [InlineData("partial:0.5", 1.0)]
    [InlineData("partial:0.8", 0.8)]
    [InlineData("withhold", 1.0)]
    public void Mode_by_mode_and_sufficient_statistics_paths_of_an_attack_draw_from_the_same_law(string spec, double transmission)
    {
        var attack = Attack.Parse(spec);
        var fast = Run(attack, SimulationPath.SufficientStatistics, transmission, seed: 11);
        var slow = Run(attack, SimulationPath.ModeByMode, transmission, seed: 12);
        AssertSameLaw(fast, slow, fast.Keys);
    }

    [Fact]
    public void The_test_tells_a_tap_from_a_tap_that_re_amplifies()
    {
        // Guards the test above: at r = 0.2 the re-amplified light carries 0.5 SNU more per quadrature.
        var tap = Run(new Tap(0.2), SimulationPath.SufficientStatistics, 1.0, seed: 5);
        var reamplified = Run(new TapReamplify(0.2), SimulationPath.ModeByMode, 1.0, seed: 6);
        var d = KolmogorovSmirnov.Statistic(tap["energy"], reamplified["energy"]);
        Assert.True(d > KolmogorovSmirnov.Critical(Samples, Samples), $"KS D = {d:F4} should exceed the critical value");
    }

    [Fact]
    public void Intercept_resend_and_a_half_tap_re_amplified_differ_only_in_what_the_attacker_keeps()
    {
        // A coherent state resent at a heterodyne outcome is, on average over outcomes, thermal
        // light of variance 3: the same as a 50 % tap re-amplified (2g - 1 = 3). The device and the
        // verifier see one law; the intercept-resend attacker measured all the light, not half.
        var intercept = Run(new InterceptResend(), SimulationPath.SufficientStatistics, 1.0, seed: 7);
        var reamplified = Run(new TapReamplify(0.5), SimulationPath.ModeByMode, 1.0, seed: 8);
        AssertSameLaw(intercept, reamplified, ["output 0", "output 3", "correlation", "energy", "joint"]);
        var d = KolmogorovSmirnov.Statistic(intercept["knowledge"], reamplified["knowledge"]);
        Assert.True(d > KolmogorovSmirnov.Critical(Samples, Samples), $"knowledge: KS D = {d:F4} should exceed the critical value");
    }

    private static void AssertSameLaw(Dictionary<string, List<double>> a, Dictionary<string, List<double>> b, IEnumerable<string> names)
    {
        var critical = KolmogorovSmirnov.Critical(Samples, Samples);
        foreach (var name in names)
        {
            var d = KolmogorovSmirnov.Statistic(a[name], b[name]);
            Assert.True(d < critical, $"{name}: KS D = {d:F4} exceeds the 0.001 critical value {critical:F4}");
        }
    }

    private static Dictionary<string, List<double>> Run(Attack attack, SimulationPath path, double transmission, int seed)
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var norm = Math.Sqrt(input.Sum(v => (double)v * v));
        var unit = input.Select(v => v / norm).ToArray();
        var device = attack.Device(2, path);
        var noise = NoiseSource.Seeded(seed);
        var result = new Dictionary<string, List<double>> { ["output 0"] = [], ["output 3"] = [] };
        for (var k = 0; k < Samples; k++)
        {
            // One frame per sample, so that the attacker's estimate of it is one draw too.
            var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 1);
            layer.Light.PassThroughChannel(transmission);
            var measurement = device.Measure(layer.Light, input, noise);
            Add(result, "output 0", measurement.Outputs[0]);
            Add(result, "output 3", measurement.Outputs[3]);
            if (measurement.Residual is { } residual)
            {
                var stats = residual.MeasureHeterodyne(layer.Reference, noise);
                Add(result, "correlation", stats.Correlation);
                Add(result, "energy", stats.Energy);
                // Catches a wrong correlation between what the client saw and what it returned.
                Add(result, "joint", measurement.Outputs[0] * 10 + stats.Correlation);
                Add(result, "energy and output", stats.Energy - 5 * measurement.Outputs[3]);
            }
            if (device.Knowledge.Of(layer.Light.Id) is { } known)
            {
                Add(result, "knowledge", known.PackedWeights[2 * known.FirstMode]);
                // Its estimate of row 0's w . x, which the outputs of intercept-resend and of a
                // partial return share noise with: their difference cancels it when the paths agree.
                var alongInput = 0.0;
                for (var e = 0; e < Columns; e++) alongInput += unit[e] * known.PackedWeights[e];
                Add(result, "knowledge along input", alongInput);
                Add(result, "output less knowledge", measurement.Outputs[0] / norm - alongInput);
                if (result.TryGetValue("correlation", out var correlations))
                {
                    // Resent light carries the heterodyne's noise back to the verifier: C less its
                    // share in the estimates, 4 s^2 sqrt(T) sum w w-hat, removes it.
                    var overlap = 0.0;
                    for (var i = 0; i < Rows; i++)
                        for (var e = 0; e < Columns; e++) overlap += weights[i * Columns + e] * known.PackedWeights[i * 2 * Modes + e];
                    var scale = layer.Reference.Scale;
                    Add(result, "light less knowledge", correlations[^1] - 4 * scale * scale * Math.Sqrt(transmission) * overlap);
                }
            }
        }
        return result;
    }

    private static void Add(Dictionary<string, List<double>> result, string name, double value)
    {
        if (!result.TryGetValue(name, out var values)) result[name] = values = [];
        values.Add(value);
    }
}
