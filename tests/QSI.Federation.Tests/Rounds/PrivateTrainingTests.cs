using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;

namespace QSI.Federation.Tests.Rounds;

public class PrivateTrainingTests
{
    private static FederationSettings Settings(DifferentialPrivacySettings privacy, int rounds = 3) => new()
    {
        Rounds = rounds,
        MinAvailableClients = 4,
        MinFitClients = 2,
        FractionFit = 0.5,
        Channel = null,
        Plan = new() { BatchSize = 16, LearningRate = 0.1 },
        Privacy = privacy with { NoiseSeed = 21 },
        Seed = 21,
    };

    [Theory]
    [InlineData(PrivacyMode.Central)]
    [InlineData(PrivacyMode.Distributed)]
    public void Each_round_records_the_epsilon_of_its_sampling_rate_and_noise_composed(PrivacyMode mode)
    {
        var federation = TestFederations.Create(Settings(new DifferentialPrivacySettings { Mode = mode, NoiseMultiplier = 1.1, Clip = 0.5 }), clients: 4);

        var rounds = federation.Run(3);

        var accountant = new RenyiAccountant();
        foreach (var round in rounds)
        {
            Assert.Equal(new RoundPrivacy(0.5, 1.1, 0.5, 0.5, mode == PrivacyMode.Central ? round.Privacy!.UnclippedFraction : null), round.Privacy);
            accountant.Compose(0.5, 1.1);
            Assert.Equal(accountant.Spent(1e-5).Epsilon, round.Epsilon!.Value, 1e-12);
            Assert.Equal(2, round.Aggregated.Count());
        }
        Assert.True(rounds[0].Epsilon < rounds[1].Epsilon && rounds[1].Epsilon < rounds[2].Epsilon);
    }

    [Fact]
    public void A_distributed_task_carries_the_clip_and_the_noise_share_of_the_sampled_clients()
    {
        var federation = TestFederations.Create(Settings(new DifferentialPrivacySettings { Mode = PrivacyMode.Distributed, NoiseMultiplier = 2, Clip = 0.3 }), clients: 4);
        var training = federation.Training;
        var sampled = training.Sample(TaskKind.Fit, federation.Clients.Select(c => c.Profile.ClientId));

        var task = training.Begin(federation.Clients.First(c => c.Profile.ClientId == sampled[0]).Profile, TaskKind.Fit);
        var evaluation = training.Begin(federation.Clients[0].Profile, TaskKind.Evaluate);

        Assert.Equal(new ClientPrivacy(0.3, 2 * 0.3 / Math.Sqrt(2)), task.Issue!.Task.Privacy);
        Assert.Null(evaluation.Issue!.Task.Privacy);
    }

    [Fact]
    public void The_target_epsilon_stops_the_run_before_the_round_that_would_pass_it()
    {
        // One round at q = 0.5, z = 1 costs epsilon of about 1.5 at delta 1e-5: a target of 3 allows exactly one more round.
        var settings = Settings(new DifferentialPrivacySettings { NoiseMultiplier = 1, Clip = 0.5 }, rounds: 10);
        var one = new RenyiAccountant();
        var two = new RenyiAccountant();
        two.Compose(0.5, 1);
        var target = (one.EpsilonAfter(0.5, 1, 1e-5) + two.EpsilonAfter(0.5, 1, 1e-5)) / 2;
        var federation = TestFederations.Create(settings with { Privacy = settings.Privacy! with { TargetEpsilon = target } }, clients: 4);

        var rounds = new List<RoundRecord>();
        while (!federation.Training.StopsForPrivacyBudget(available: 4)) rounds.Add(federation.RunRound());

        Assert.Single(rounds);
        Assert.True(rounds[0].Epsilon <= target);
        Assert.Matches(@"^stopped before round 2: it would take epsilon from [0-9.]+ to [0-9.]+, past the target of [0-9.]+ \(delta 1e-05\)$", federation.Training.Stopped);
    }

    [Fact]
    public void A_resumed_run_continues_the_account_and_the_adaptive_clip()
    {
        var settings = Settings(new DifferentialPrivacySettings
        {
            NoiseMultiplier = 0.8, Clip = 2, Adaptive = new AdaptiveClipSettings { CountNoise = 1, LearningRate = 0.5 },
        }, rounds: 4);
        var whole = TestFederations.Create(settings, clients: 4);
        var first = TestFederations.Create(settings, clients: 4);
        var straight = whole.Run(4);
        first.Run(2);
        var resumed = TestFederations.Create(settings, clients: 4);
        resumed.Training.Restore(first.Training.Checkpoint());

        var rest = resumed.Run(2);

        Assert.NotEqual(2, straight[1].Privacy!.NextClip);
        Assert.Equal(straight[3].Privacy, rest[1].Privacy);
        Assert.Equal(straight[3].Epsilon, rest[1].Epsilon);
        Assert.Equal(ModelParameters.Flatten(whole.Training.Model), ModelParameters.Flatten(resumed.Training.Model));
    }

    [Theory]
    [InlineData(PrivacyMode.Central, true, "central differential privacy clips each update")]
    [InlineData(PrivacyMode.Distributed, false, "adaptive clipping needs the server to see")]
    public void Settings_that_cannot_work_together_are_refused(PrivacyMode mode, bool secure, string message)
    {
        var settings = new FederationSettings
        {
            Channel = null, SecureAggregation = secure,
            Privacy = new DifferentialPrivacySettings { Mode = mode, Adaptive = secure ? null : new AdaptiveClipSettings() },
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => settings.Validated()).Message);
        Assert.Contains("needs each one", Assert.Throws<ArgumentException>(() => (new FederationSettings { Strategy = "krum", Privacy = new() }).Validated()).Message);
    }
}
