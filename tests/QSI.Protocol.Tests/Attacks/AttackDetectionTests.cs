using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests.Attacks;

public class AttackDetectionTests
{
    private const int Checks = 40;

    [Theory]
    // z-scores of the expected disturbance against the honest spread (sd(sqrt T-hat) = 0.0102,
    // sd(eps-hat) = 1.19 per frame, thresholds 2.8 and 2.6 at a 1 % false-alarm rate):
    // tap 0.3 shifts sqrt(T) by 16 sd; re-amplifying it adds eps = 10 (8 sd); intercept-resend
    // eps = 40; partial 0.5 returns T-hat = 0.25; over-gain 6 adds 2/3, 8 sd over 200 frames.
    [InlineData("tap:0.3", 1.0, 1)]
    [InlineData("tap:0.3", 0.9, 1)]
    [InlineData("tap-reamplify:0.2", 1.0, 1)]
    [InlineData("intercept-resend", 0.9, 1)]
    [InlineData("partial:0.5", 1.0, 1)]
    [InlineData("overgain:6", 1.0, 200)]
    public void An_attack_is_flagged_and_the_verifier_measures_what_Expected_predicts(string spec, double transmission, int framesPerCheck)
    {
        var attack = Attack.Parse(spec);
        var verdicts = AttackChecks.Run(attack.Device(AttackChecks.Gain), transmission, Checks, framesPerCheck, seed: 51);
        var expected = attack.Expected(AttackChecks.Gain, AttackChecks.Photons, AttackChecks.Modes, transmission);

        Assert.All(verdicts, v => Assert.False(v.Accepted, $"{spec}: T-hat {v.Transmission:F4}, eps-hat {v.ExcessNoise:F3} accepted"));
        // Means over the checks against the prediction, within 4.5 standard errors of the mean
        // (the estimators' own biases, of order 1/S and eps/(R n'), are far smaller).
        AssertMean(verdicts.Select(v => v.Transmission).ToArray(), expected.Transmission);
        AssertMean(verdicts.Select(v => v.ExcessNoise).ToArray(), expected.ExcessNoise);
    }

    [Fact]
    public void The_honest_device_is_measured_as_Expected_predicts()
    {
        var verdicts = AttackChecks.Run(new ClientDevice(AttackChecks.Gain), 0.9, Checks, framesPerCheck: 20, seed: 52);
        var expected = ExpectedResidual.Honest(AttackChecks.Gain, 0.9);
        AssertMean(verdicts.Select(v => v.Transmission).ToArray(), expected.Transmission);
        AssertMean(verdicts.Select(v => v.ExcessNoise).ToArray(), expected.ExcessNoise);
        Assert.True(verdicts.Count(v => v.Accepted) >= Checks - 4, "honest checks pass at a 1 % false-alarm rate");
    }

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics)]
    [InlineData(SimulationPath.ModeByMode)]
    public void A_client_that_withholds_its_light_returns_none_and_a_check_of_nothing_flags_it(SimulationPath path)
    {
        var device = new Withhold().Device(AttackChecks.Gain, path);
        var honest = new ClientDevice(AttackChecks.Gain, path);
        var layer = ProtocolFixture.Encode(ProtocolFixture.SignWeights(4, 6, seed: 1), 4, 6, photons: 4, copies: 2);
        var input = ProtocolFixture.Input(6, seed: 2);

        var withheld = device.Measure(layer.Light, input, Randomness.NoiseSource.Seeded(3));
        var measured = honest.Measure(layer.Light, input, Randomness.NoiseSource.Seeded(3));

        Assert.Null(withheld.Residual);
        Assert.Equal(measured.Outputs, withheld.Outputs);
        Assert.All(AttackChecks.Run(device, 1, checks: 3, framesPerCheck: 1, seed: 4), v => Assert.False(v.Accepted));
        Assert.Equal(ExpectedResidual.Nothing, device.Attack.Expected(2, 4, 3, 1));
    }

    private static void AssertMean(double[] values, double expected)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        var tolerance = 4.5 * sd / Math.Sqrt(values.Length);
        Assert.True(Math.Abs(mean - expected) <= tolerance, $"mean {mean:G5} is {Math.Abs(mean - expected):G3} from the predicted {expected:G5}; allowed {tolerance:G3}");
    }
}
