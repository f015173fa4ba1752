using QSI.Protocol.Client;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;
using Xunit.Abstractions;

namespace QSI.Protocol.Tests;

public class RealChannelTests(ITestOutputHelper output)
{
    private const int Rows = 5, Columns = 11, Samples = 3000;

    /// <summary>Every imperfection on at once, each large enough to move the laws it enters.</summary>
    internal static readonly ChannelImperfections Testbed = new()
    {
        ClientEfficiency = 0.8, ClientElectronicNoise = 0.1, VerifierEfficiency = 0.9, VerifierElectronicNoise = 0.05,
        ReturnTransmission = 0.75, ExcessNoise = 0.05, PhaseNoise = 0.15,
    };

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(3.0, 0.7)]
    public void Mode_by_mode_and_sufficient_statistics_paths_agree_with_every_imperfection_on(double gain, double transmission)
    {
        var fast = Run(SimulationPath.SufficientStatistics, gain, transmission, Testbed, seed: 21);
        var slow = Run(SimulationPath.ModeByMode, gain, transmission, Testbed, seed: 22);
        foreach (var name in fast.Keys)
        {
            var d = KolmogorovSmirnov.Statistic(fast[name], slow[name]);
            var p = KolmogorovSmirnov.PValue(d, Samples, Samples);
            output.WriteLine($"G = {gain}, T = {transmission}, {name}: KS D = {d:F4}, p = {p:F3}");
            Assert.True(p > 0.001, $"{name}: KS D = {d:F4}, p = {p:G3} below the 0.001 significance level");
        }
    }

    [Theory]
    [InlineData("tap:0.2")]
    [InlineData("tap-reamplify:0.2")]
    [InlineData("intercept-resend")]
    [InlineData("partial:0.5")]
    public void Attack_light_through_a_lossy_return_and_a_real_verifier_detector_agrees_on_both_paths(string strategy)
    {
        // Attacks run behind a pure-loss forward channel; the return path and the verifier's detector act on any light.
        var receiving = new ChannelImperfections { ReturnTransmission = 0.7, VerifierEfficiency = 0.85, VerifierElectronicNoise = 0.1 };
        var fast = RunAttack(QSI.Protocol.Attacks.Attack.Parse(strategy), SimulationPath.SufficientStatistics, receiving, seed: 61);
        var slow = RunAttack(QSI.Protocol.Attacks.Attack.Parse(strategy), SimulationPath.ModeByMode, receiving, seed: 62);
        foreach (var name in fast.Keys)
        {
            var d = KolmogorovSmirnov.Statistic(fast[name], slow[name]);
            var p = KolmogorovSmirnov.PValue(d, fast[name].Count, slow[name].Count);
            output.WriteLine($"{strategy}, {name}: KS D = {d:F4}, p = {p:F3}");
            Assert.True(p > 0.001, $"{strategy} {name}: KS D = {d:F4}, p = {p:G3} below the 0.001 significance level");
        }
    }

    private static Dictionary<string, List<double>> RunAttack(QSI.Protocol.Attacks.Attack attack, SimulationPath path, ChannelImperfections receiving, int seed)
    {
        const int samples = 2000;
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var device = attack.Device(2, path);
        var noise = NoiseSource.Seeded(seed);
        var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: samples);
        layer.Light.PassThroughChannel(0.9);
        var result = new Dictionary<string, List<double>> { ["output 0"] = [], ["correlation"] = [], ["energy"] = [], ["joint"] = [] };
        for (var k = 0; k < samples; k++)
        {
            var measurement = device.Measure(layer.Light, input, noise);
            var stats = receiving.Return(measurement.Residual!, noise).MeasureHeterodyne(layer.Reference, noise, receiving.VerifierDetector);
            result["output 0"].Add(measurement.Outputs[0]);
            result["correlation"].Add(stats.Correlation);
            result["energy"].Add(stats.Energy);
            result["joint"].Add(measurement.Outputs[0] * 10 + stats.Correlation);
        }
        return result;
    }

    [Fact]
    public void The_imperfections_change_the_laws_the_paths_are_compared_on()
    {
        // Guards the test above: KS at these sizes tells the testbed's light from the ideal channel's.
        var real = Run(SimulationPath.SufficientStatistics, 2, 1, Testbed, seed: 23);
        var ideal = Run(SimulationPath.ModeByMode, 2, 1, ChannelImperfections.Ideal, seed: 24);
        foreach (var name in new[] { "output 0", "correlation", "energy" })
        {
            var d = KolmogorovSmirnov.Statistic(real[name], ideal[name]);
            Assert.True(KolmogorovSmirnov.PValue(d, Samples, Samples) < 0.001, $"{name}: KS D = {d:F4} should tell the channels apart");
        }
    }

    [Fact]
    public void The_ideal_channel_leaves_every_number_as_it_was()
    {
        foreach (var path in new[] { SimulationPath.SufficientStatistics, SimulationPath.ModeByMode })
        {
            var plain = Run(path, 3, 0.7, null, seed: 5, samples: 50);
            var ideal = Run(path, 3, 0.7, ChannelImperfections.Ideal, seed: 5, samples: 50);
            foreach (var name in plain.Keys) Assert.Equal(plain[name], ideal[name]);
        }
    }

    [Fact]
    public void The_client_corrects_its_estimate_for_its_trusted_detector()
    {
        // Mean estimate W z/|z| unchanged; variance grows by ((1 - eta) + v_el)/eta in units of the ideal detector's.
        var channel = new ChannelImperfections { ClientEfficiency = 0.6, ClientElectronicNoise = 0.2 };
        const double gain = 2;
        var real = Run(SimulationPath.SufficientStatistics, gain, 1, channel, seed: 31, samples: 20000)["output 0"];
        var ideal = Run(SimulationPath.SufficientStatistics, gain, 1, null, seed: 32, samples: 20000)["output 0"];
        var detector = channel.ClientDetector;
        var device = new DeviceNoise(gain);
        var expectedRatio = (device.DetectorVariance + detector.InputReferredNoise) / device.DetectorVariance;
        var ratio = Variance(real) / Variance(ideal);
        output.WriteLine($"mean {real.Average():F4} vs {ideal.Average():F4}; variance ratio {ratio:F4}, expected {expectedRatio:F4}");
        // sd of a mean over 20000 draws is sd/141; of a variance ratio about ratio * sqrt(4/20000) = 0.014 ratio.
        Assert.InRange(real.Average() - ideal.Average(), -4 * Math.Sqrt(Variance(real) * 2 / 20000), 4 * Math.Sqrt(Variance(real) * 2 / 20000));
        Assert.InRange(ratio / expectedRatio, 1 - 4 * 0.015, 1 + 4 * 0.015);
        Assert.Equal(1 / expectedRatio, new DeviceNoise(gain, detector).Kappa / device.Kappa, 12);
    }

    [Fact]
    public void An_honest_client_behind_the_testbed_passes_a_verifier_that_expects_it_and_fails_one_that_expects_an_ideal_channel()
    {
        const double gain = 2, transmission = 0.8, photons = 4;
        const int checks = 200, framesPerCheck = 40;
        var expecting = new ResidualVerifier(Testbed.Expecting(new VerifierOptions { Gain = gain }, transmission, photons));
        var naive = new ResidualVerifier(new VerifierOptions { Gain = gain, Transmission = transmission });
        // Told the right transmission, the naive verifier is left with the noise alone.
        var naiveOfNoise = new ResidualVerifier(new VerifierOptions { Gain = gain, Transmission = expecting.Options.Transmission });
        var statistics = Checks(gain, transmission, photons, checks, framesPerCheck, seed: 41);
        var verdicts = statistics.Select(expecting.Check).ToList();
        var accepted = verdicts.Count(v => v.Accepted);
        var meanT = verdicts.Average(v => v.Transmission);
        var meanEps = verdicts.Average(v => v.ExcessNoise);
        var naiveFlags = statistics.Count(s => !naive.Check(s).Accepted);
        var noiseFlags = statistics.Select(naiveOfNoise.Check).ToList();
        output.WriteLine($"expecting the testbed: {accepted}/{checks} accepted, mean T-hat {meanT:F4} (expected {expecting.Options.Transmission:F4}), "
            + $"mean eps-hat {meanEps:F4} (expected {expecting.Options.ExpectedExcessNoise((Columns + 1) / 2):F4}), mean z_eps {verdicts.Average(v => v.ExcessNoiseScore):F3}");
        output.WriteLine($"expecting an ideal channel: {naiveFlags}/{checks} flagged; told T only: {noiseFlags.Count(v => !v.Accepted)}/{checks} flagged, mean z_eps {noiseFlags.Average(v => v.ExcessNoiseScore):F2}");
        // False-alarm rate 0.01: 198 of 200 expected, binomial sd 1.4; at least 193 is 3.5 sd below.
        Assert.True(accepted >= 193, $"{accepted}/{checks} honest checks accepted");
        var z = verdicts.Select(v => v.ExcessNoiseScore).ToList();
        Assert.InRange(z.Average(), -4 / Math.Sqrt(checks), 4 / Math.Sqrt(checks));
        Assert.InRange(Variance(z), 1 - 4 * Math.Sqrt(2.0 / checks), 1 + 4 * Math.Sqrt(2.0 / checks));
        Assert.InRange(verdicts.Average(v => v.TransmissionScore), -4 / Math.Sqrt(checks), 4 / Math.Sqrt(checks));
        Assert.Equal(checks, naiveFlags);
        // The noise alone: 40 frames put it about 2 sd above an ideal verifier's expectation (sd of a mean z over 200 checks: 0.07).
        Assert.True(noiseFlags.Average(v => v.ExcessNoiseScore) > 1.5, "the channel's noise shows as a shift of an ideal verifier's z");
        Assert.True(noiseFlags.Count(v => !v.Accepted) >= checks / 2, "most checks are flagged by a verifier that expects no channel noise");
    }

    [Fact]
    public void Calibration_on_honest_frames_recovers_the_channel_and_its_verifier_accepts_honest_clients()
    {
        const double gain = 2, transmission = 0.8, photons = 4;
        var calibration = VerifierCalibration.Run(gain, photons, transmission, Testbed, frames: 400, NoiseSource.Seeded(51));
        var truth = Testbed.Expecting(new VerifierOptions { Gain = gain }, transmission, photons);
        var se = calibration.StandardError;
        output.WriteLine($"T {calibration.Transmission:F4} +- {se.Transmission:F4} (true {truth.Transmission:F4}); channel noise {calibration.ExcessNoise:F4} +- {se.ExcessNoise:F4} (true {truth.ChannelNoise:F4}); "
            + $"v_el {calibration.ElectronicNoise:F4} +- {se.ElectronicNoise:F4} (true {Testbed.VerifierElectronicNoise}); T_ret {calibration.ReturnTransmission:F3} +- {se.ReturnTransmission:F3} (true {Testbed.ReturnTransmission})");
        // Each estimate within 4 of its standard errors of the truth.
        Assert.InRange(calibration.Transmission - truth.Transmission, -4 * se.Transmission, 4 * se.Transmission);
        Assert.InRange(calibration.ExcessNoise - truth.ChannelNoise, -4 * se.ExcessNoise, 4 * se.ExcessNoise);
        Assert.InRange(calibration.ElectronicNoise - Testbed.VerifierElectronicNoise, -4 * se.ElectronicNoise, 4 * se.ElectronicNoise);
        Assert.InRange(calibration.ReturnTransmission - Testbed.ReturnTransmission, -4 * se.ReturnTransmission, 4 * se.ReturnTransmission);
        Assert.True(se.Transmission < 0.01 && se.ExcessNoise < 0.02, "the calibration is informative");

        var calibrated = new ResidualVerifier(calibration.Expecting(new VerifierOptions { Gain = gain }));
        var verdicts = Checks(gain, transmission, photons, checks: 200, framesPerCheck: 40, seed: 52).Select(calibrated.Check).ToList();
        output.WriteLine($"calibrated verifier: {verdicts.Count(v => v.Accepted)}/200 accepted, mean z_eps {verdicts.Average(v => v.ExcessNoiseScore):F3}, mean z_T {verdicts.Average(v => v.TransmissionScore):F3}");
        Assert.True(verdicts.Count(v => v.Accepted) >= 190, "a calibrated verifier accepts honest clients at about its false-alarm rate");
    }

    [Fact]
    public void Imperfections_are_validated_with_messages_a_user_can_act_on()
    {
        Assert.Contains("client detector efficiency", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelImperfections { ClientEfficiency = 0 }.Validated()).Message);
        Assert.Contains("return transmission", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelImperfections { ReturnTransmission = 1.2 }.Validated()).Message);
        Assert.Contains("channel excess noise", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelImperfections { ExcessNoise = -0.1 }.Validated()).Message);
        Assert.Contains("phase noise", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelImperfections { PhaseNoise = 4 }.Validated()).Message);
        Assert.Contains("electronic noise", Assert.Throws<ArgumentOutOfRangeException>(() => new Detector(0.9, double.NaN)).Message);
        Assert.True(ChannelImperfections.Ideal.IsIdeal && !Testbed.IsIdeal);
        Assert.True(Testbed.Validated().ClientDetector.Efficiency == 0.8);
    }

    [Fact]
    public void Phase_noise_conserves_the_photon_number_in_its_Gaussian_approximation()
    {
        // Mean photons after the phase noise, |exp(-s^2/2) alpha|^2 + (V - 1)/2 per quadrature pair, equal the photons before.
        var channel = new ChannelImperfections { PhaseNoise = 0.3 };
        const double photons = 5;
        Assert.Equal(photons, channel.PhaseTransmission * photons + channel.PhaseExcess(photons) / 2, 12);
    }

    private List<ResidualStatistics> Checks(double gain, double transmission, double photons, int checks, int framesPerCheck, int seed)
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 9), Rows, Columns, photons, copies: checks * framesPerCheck);
        layer.Light.PassThroughChannel(transmission);
        Testbed.Forward(layer.Light);
        var device = new ClientDevice(gain, SimulationPath.SufficientStatistics, Testbed.ClientDetector);
        var noise = NoiseSource.Seeded(seed);
        var input = ProtocolFixture.Input(Columns, seed: 10);
        var pooled = new List<ResidualStatistics>();
        for (var c = 0; c < checks; c++)
        {
            var sum = ResidualStatistics.None;
            for (var f = 0; f < framesPerCheck; f++)
            {
                var returned = Testbed.Return(device.Measure(layer.Light, input, noise).Residual!, noise);
                sum += returned.MeasureHeterodyne(layer.Reference, noise, Testbed.VerifierDetector);
            }
            pooled.Add(sum);
        }
        return pooled;
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    private static Dictionary<string, List<double>> Run(SimulationPath path, double gain, double transmission, ChannelImperfections? channel,
        int seed, int samples = Samples)
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var device = channel is null ? new ClientDevice(gain, path) : new ClientDevice(gain, path, channel.ClientDetector);
        var noise = NoiseSource.Seeded(seed);
        var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: samples);
        layer.Light.PassThroughChannel(transmission);
        channel?.Forward(layer.Light);
        var result = new Dictionary<string, List<double>>
        {
            ["output 0"] = [], ["output 3"] = [], ["correlation"] = [], ["energy"] = [], ["joint"] = [],
        };
        for (var k = 0; k < samples; k++)
        {
            var measurement = device.Measure(layer.Light, input, noise);
            var returned = channel is null ? measurement.Residual! : channel.Return(measurement.Residual!, noise);
            var stats = channel is null
                ? returned.MeasureHeterodyne(layer.Reference, noise)
                : returned.MeasureHeterodyne(layer.Reference, noise, channel.VerifierDetector);
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
