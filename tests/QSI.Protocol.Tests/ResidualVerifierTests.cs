using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests;

public class ResidualVerifierTests
{
    private const int Rows = 60, Columns = 40;

    [Theory]
    [InlineData(0.05, 2.0, 1.0)]
    [InlineData(0.01, 3.0, 0.85)]
    public void Honest_clients_are_accepted_at_one_minus_the_false_alarm_rate(double falseAlarm, double gain, double transmission)
    {
        const int checks = 4000;
        var verifier = new ResidualVerifier(new VerifierOptions { Gain = gain, Transmission = transmission, FalseAlarmRate = falseAlarm });
        var accepted = RunChecks(verifier, new ClientDevice(gain), transmission, checks, framesPerCheck: 1, seed: 31)
            .Count(v => v.Accepted);
        var rate = accepted / (double)checks;
        var standardError = Math.Sqrt(falseAlarm * (1 - falseAlarm) / checks);
        Assert.InRange(rate, 1 - falseAlarm - 3.5 * standardError, 1 - falseAlarm + 3.5 * standardError);
    }

    [Fact]
    public void A_client_that_keeps_half_the_light_is_flagged()
    {
        // Tapping a fraction r before U_x lowers the returned amplitude by sqrt(1 - r), just as
        // an undeclared loss of the same size does.
        var verifier = new ResidualVerifier(new VerifierOptions { Gain = 2, FalseAlarmRate = 0.01 });
        var verdicts = RunChecks(verifier, new ClientDevice(2), transmission: 0.5, checks: 50, framesPerCheck: 1, seed: 32);
        Assert.All(verdicts, v => Assert.False(v.Accepted));
        Assert.All(verdicts, v => Assert.InRange(v.Transmission, 0.45, 0.55));
    }

    [Fact]
    public void A_client_that_amplifies_more_than_it_announced_is_flagged_over_pooled_frames()
    {
        // Over-gain: G' = 6 measures b0 better but leaves eps0 = 5/3 instead of 1 per use.
        var verifier = new ResidualVerifier(new VerifierOptions { Gain = 2, FalseAlarmRate = 0.01 });
        // 100 frames a check: z = (5/3 - 1) / sd(eps-hat) is about 5.8 against a threshold of 2.6.
        var honest = RunChecks(verifier, new ClientDevice(2), 1, checks: 20, framesPerCheck: 100, seed: 33);
        var greedy = RunChecks(verifier, new ClientDevice(6), 1, checks: 20, framesPerCheck: 100, seed: 34);
        Assert.True(honest.Count(v => v.Accepted) >= 18, "honest pooled checks should pass");
        Assert.True(greedy.Count(v => !v.Accepted) >= 18, "over-gain should be flagged in nearly every pooled check");
        Assert.InRange(greedy.Average(v => v.ExcessNoise), 5.0 / 3 - 0.1, 5.0 / 3 + 0.1);
    }

    [Fact]
    public void A_frame_copy_can_be_measured_only_once()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(3, 4, 1), 3, 4, photons: 2, copies: 1);
        var device = new ClientDevice(2);
        var noise = NoiseSource.Seeded(1);
        var input = ProtocolFixture.Input(4, 2);
        var measurement = device.Measure(layer.Light, input, noise);
        Assert.Throws<QSI.Protocol.Encoding.FrameConsumedException>(() => device.Measure(layer.Light, input, noise));
        measurement.Residual!.MeasureHeterodyne(layer.Reference, noise);
        Assert.Throws<InvalidOperationException>(() => measurement.Residual!.MeasureHeterodyne(layer.Reference, noise));
    }

    [Fact]
    public void Returned_light_is_checked_only_against_its_own_frame()
    {
        var weights = ProtocolFixture.Weights(3, 4, 1);
        var first = ProtocolFixture.Encode(weights, 3, 4, photons: 2, copies: 1);
        var second = ProtocolFixture.Encode(weights, 3, 4, photons: 2, copies: 1);
        var noise = NoiseSource.Seeded(1);
        var residual = new ClientDevice(2).Measure(first.Light, ProtocolFixture.Input(4, 2), noise).Residual!;
        var error = Assert.Throws<ArgumentException>(() => residual.MeasureHeterodyne(second.Reference, noise));
        Assert.Contains("cannot be checked against the reference", error.Message);
    }

    private static List<VerifierVerdict> RunChecks(ResidualVerifier verifier, ClientDevice device, double transmission,
        int checks, int framesPerCheck, int seed)
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 9), Rows, Columns, photons: 4, copies: checks * framesPerCheck);
        layer.Light.PassThroughChannel(transmission);
        var noise = NoiseSource.Seeded(seed);
        var input = ProtocolFixture.Input(Columns, seed: 10);
        var verdicts = new List<VerifierVerdict>();
        for (var c = 0; c < checks; c++)
        {
            var pooled = ResidualStatistics.None;
            for (var f = 0; f < framesPerCheck; f++)
                pooled += device.Measure(layer.Light, input, noise).Residual!.MeasureHeterodyne(layer.Reference, noise);
            verdicts.Add(verifier.Check(pooled));
        }
        return verdicts;
    }
}
