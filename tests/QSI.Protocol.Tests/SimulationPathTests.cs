using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests;

public class SimulationPathTests
{
    private const int Rows = 5, Columns = 11, Samples = 3000;

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(3.0, 0.7)]
    public void Mode_by_mode_and_sufficient_statistics_paths_draw_from_the_same_distributions(double gain, double transmission)
    {
        var fast = Run(SimulationPath.SufficientStatistics, gain, transmission, seed: 11);
        var slow = Run(SimulationPath.ModeByMode, gain, transmission, seed: 12);
        var critical = KolmogorovSmirnov.Critical(Samples, Samples);
        foreach (var name in fast.Keys)
        {
            var d = KolmogorovSmirnov.Statistic(fast[name], slow[name]);
            Assert.True(d < critical, $"{name}: KS D = {d:F4} exceeds the 0.001 critical value {critical:F4}");
        }
    }

    [Fact]
    public void The_paths_differ_detectably_when_the_device_gain_differs()
    {
        // Guards the test above: KS on these sample sizes tells gain 1.2 (kappa 0.19) from gain 3 (kappa 0.55).
        var a = Run(SimulationPath.SufficientStatistics, 1.2, 1.0, seed: 5);
        var b = Run(SimulationPath.ModeByMode, 3.0, 1.0, seed: 6);
        var d = KolmogorovSmirnov.Statistic(a["output 0"], b["output 0"]);
        Assert.True(d > KolmogorovSmirnov.Critical(Samples, Samples), $"KS D = {d:F4} should exceed the critical value");
    }

    private static Dictionary<string, List<double>> Run(SimulationPath path, double gain, double transmission, int seed)
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var device = new ClientDevice(gain, path);
        var noise = NoiseSource.Seeded(seed);
        var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: Samples);
        layer.Light.PassThroughChannel(transmission);
        var result = new Dictionary<string, List<double>>
        {
            ["output 0"] = [], ["output 3"] = [], ["correlation"] = [], ["energy"] = [], ["joint"] = [],
        };
        for (var k = 0; k < Samples; k++)
        {
            var measurement = device.Measure(layer.Light, input, noise);
            var stats = measurement.Residual!.MeasureHeterodyne(layer.Reference, noise);
            result["output 0"].Add(measurement.Outputs[0]);
            result["output 3"].Add(measurement.Outputs[3]);
            result["correlation"].Add(stats.Correlation);
            result["energy"].Add(stats.Energy);
            // A joint functional: catches a wrong correlation between what the client saw and what it returned.
            result["joint"].Add(measurement.Outputs[0] * 10 + stats.Correlation);
        }
        return result;
    }
}
