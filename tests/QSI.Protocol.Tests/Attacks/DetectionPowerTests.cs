using QSI.Protocol.Attacks;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests.Attacks;

public class DetectionPowerTests
{
    private static readonly DetectionPower Power = new(new VerifierOptions { Gain = AttackChecks.Gain, FalseAlarmRate = 0.01 });

    [Theory]
    // Disturbances the verifier sees only sometimes: an excess along x (over-gain), a lower
    // transmission (a small tap), an excess spread over every mode (a small re-amplified tap).
    [InlineData("overgain:6", 40)]
    [InlineData("overgain:3", 100)]
    [InlineData("tap:0.03", 3)]
    [InlineData("tap-reamplify:0.01", 100)]
    public void The_predicted_detection_rate_matches_simulated_checks(string spec, int frames)
    {
        const int checks = 1000;
        var attack = Attack.Parse(spec);
        var predicted = Power.Probability(AttackChecks.PerFrame, frames,
            attack.Expected(AttackChecks.Gain, AttackChecks.Photons, AttackChecks.Modes, 1));
        var flagged = AttackChecks.Run(attack.Device(AttackChecks.Gain), 1, checks, frames, seed: 61).Count(v => !v.Accepted);
        // Binomial error of the simulated rate, 4 sd, plus 0.01 for the normal approximations.
        var tolerance = 4 * Math.Sqrt(predicted * (1 - predicted) / checks) + 0.01;
        Assert.InRange(flagged / (double)checks, predicted - tolerance, predicted + tolerance);
        Assert.InRange(predicted, 0.2, 0.9);
    }

    [Fact]
    public void Honest_light_is_flagged_at_the_false_alarm_rate_however_many_frames_are_pooled()
    {
        var honest = ExpectedResidual.Honest(AttackChecks.Gain, 1);
        Assert.Equal(0.01, Power.Probability(AttackChecks.PerFrame, 1, honest), 12);
        Assert.Equal(0.01, Power.Probability(AttackChecks.PerFrame, 1000, honest), 12);
        Assert.Null(Power.FewestFrames(AttackChecks.PerFrame, honest));
        Assert.Equal(1, Power.Probability(AttackChecks.PerFrame, 1, ExpectedResidual.Nothing));
    }

    [Fact]
    public void The_fewest_frames_reach_the_target_and_one_fewer_does_not_and_simulated_checks_agree()
    {
        var attack = new OverGain(6);
        var expected = attack.Expected(AttackChecks.Gain, AttackChecks.Photons, AttackChecks.Modes, 1);
        var frames = Power.FewestFrames(AttackChecks.PerFrame, expected) ?? throw new Xunit.Sdk.XunitException("over-gain should be detectable");
        Assert.True(Power.Probability(AttackChecks.PerFrame, frames, expected) >= 0.99);
        Assert.True(Power.Probability(AttackChecks.PerFrame, frames - 1, expected) < 0.99);

        const int checks = 400;
        var flagged = AttackChecks.Run(attack.Device(AttackChecks.Gain), 1, checks, (int)frames, seed: 62).Count(v => !v.Accepted);
        // At 0.99, 4 binomial sd are 0.02 of the rate.
        Assert.True(flagged / (double)checks >= 0.99 - 4 * Math.Sqrt(0.99 * 0.01 / checks), $"{flagged} of {checks} checks of {frames} frames flagged");
    }
}
