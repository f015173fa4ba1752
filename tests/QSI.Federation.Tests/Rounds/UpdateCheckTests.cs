using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Rounds;

namespace QSI.Federation.Tests.Rounds;

public class UpdateCheckTests
{
    private static FederationSettings Settings(int rounds = 2) => FederatedTrainingTests.Settings(rounds) with { Channel = null };

    [Fact]
    public void A_finite_update_of_the_models_shape_within_the_norm_is_accepted()
    {
        Assert.Null(UpdateCheck.Problem([3, 4], 1, 2, maxNorm: null));
        Assert.Null(UpdateCheck.Problem([3, 4], 1, 2, maxNorm: 5));
        Assert.Null(UpdateCheck.Problem([1e4f, -1e4f], 200_000, 2, maxNorm: null));
    }

    [Fact]
    public void Nan_infinities_wrong_shapes_and_norms_beyond_the_limit_are_rejected_with_the_reason()
    {
        Assert.Equal("its update's value 1 is NaN, not a finite number", UpdateCheck.Problem([0, float.NaN, 0], 1, 3, null));
        Assert.Equal("its update's value 0 is Infinity, not a finite number", UpdateCheck.Problem([float.PositiveInfinity, 0, 0], 1, 3, null));
        Assert.Equal("its update's value 2 is -Infinity, not a finite number", UpdateCheck.Problem([0, 0, float.NegativeInfinity], 1, 3, null));
        Assert.Equal("its update has 2 values; the model has 3", UpdateCheck.Problem([0, 0], 1, 3, null));
        Assert.Equal("its update has 4 values; the model has 3", UpdateCheck.Problem([0, 0, 0, 0], 1, 3, null));
        // |(3, 4)| = 5 exceeds 4.999.
        Assert.Equal("its update's L2 norm 5 exceeds the limit of 4.999", UpdateCheck.Problem([3, 4], 1, 2, maxNorm: 4.999));
        // 1e4 x 300,000 samples = 3e9 > 2^31: beyond what the aggregate's fixed-point sum holds.
        Assert.Equal("its update's values times its 300000 samples go beyond the aggregate's range of ±2^31",
            UpdateCheck.Problem([1e4f, 0], 300_000, 2, maxNorm: null));
        Assert.NotNull(UpdateCheck.Problem([float.MaxValue, 0], 1, 2, maxNorm: null));
    }

    [Fact]
    public void The_mean_of_masked_updates_is_checked_and_the_reason_says_the_culprit_is_unknown()
    {
        Assert.Null(UpdateCheck.ProblemOfMean([0.6f, 0.8f], 2, maxNorm: 1.01));
        var problem = UpdateCheck.ProblemOfMean([0.6f, float.NaN], 2, maxNorm: null);
        Assert.Contains("the mean's value 1 is NaN", problem);
        Assert.Contains("cannot tell whose", problem);
    }

    [Fact]
    public void A_norm_limit_that_is_not_a_positive_finite_number_is_refused()
    {
        foreach (var limit in new[] { 0, -1, double.PositiveInfinity, double.NaN })
            Assert.Throws<ArgumentException>(() => (Settings() with { MaxUpdateNorm = limit }).Validated());
    }

    [Fact]
    public void A_client_that_reports_nan_is_rejected_every_round_named_and_counted_and_the_model_stays_finite()
    {
        var federation = TestFederations.Create(Settings(), clients: 3, join: (p, shape, options) =>
            new FederatedClient(p.ClientId, shape, p.Train, p.HeldOut, p.ClientId == "client-01" ? options with { Conduct = new NanClient() } : options));

        var rounds = federation.Run(2);

        Assert.All(rounds, r => Assert.Equal(1, r.RejectedUpdates));
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-02"], r.Aggregated));
        Assert.All(rounds, r => Assert.True(r.ModelUpdated));
        var rejected = rounds.Select(r => r.Fit.Single(c => c.ClientId == "client-01")).ToArray();
        Assert.All(rejected, c => Assert.Equal(ClientRoundStatus.Rejected, c.Status));
        Assert.All(rejected, c => Assert.Equal("its update's value 0 is NaN, not a finite number", c.Reason));
        Assert.All(ModelParameters.Flatten(federation.Training.Model), w => Assert.True(float.IsFinite(w)));
        Assert.True(rounds[^1].TestAccuracy > 0.5, $"test accuracy {rounds[^1].TestAccuracy}");
    }

    [Fact]
    public void Updates_longer_than_the_norm_limit_are_rejected_and_a_round_without_any_keeps_the_model()
    {
        // One local epoch at 0.1 moves the 64-16-4 weights by far more than 1e-3.
        var federation = TestFederations.Create(Settings(rounds: 1) with { MaxUpdateNorm = 1e-3 }, clients: 3);
        var before = ModelParameters.Flatten(federation.Training.Model);

        var round = federation.RunRound();

        Assert.Equal(3, round.RejectedUpdates);
        Assert.False(round.ModelUpdated);
        Assert.All(round.Fit, c => Assert.StartsWith("its update's L2 norm ", c.Reason));
        Assert.Equal(before, ModelParameters.Flatten(federation.Training.Model));
    }

    [Fact]
    public void Under_secure_aggregation_a_mean_that_is_not_finite_or_too_long_rejects_every_masked_update()
    {
        foreach (var (mean, limit) in new[] { (float.NaN, (double?)null), (10f, 1.0) })
        {
            var federation = TestFederations.Create(Settings(rounds: 1) with { SecureAggregation = true, MaxUpdateNorm = limit }, clients: 3);
            var training = federation.Training;
            var before = ModelParameters.Flatten(training.Model);
            var tasks = federation.Clients.Select(c =>
            {
                var progress = training.Begin(c.Profile, TaskKind.Fit);
                progress.TrainedMasked(new ulong[training.Model.ParameterCount], 0.5);
                return progress;
            }).ToArray();
            var secureMean = new float[training.Model.ParameterCount];
            secureMean[0] = mean;

            training.CloseFit(tasks, secureMean);
            var round = training.CloseRound([], TimeSpan.Zero);

            Assert.Equal(3, round.RejectedUpdates);
            Assert.False(round.ModelUpdated);
            Assert.All(round.Fit, c => Assert.Contains("the unmasked mean of the round's masked updates fails the check", c.Reason));
            Assert.Equal(before, ModelParameters.Flatten(training.Model));
        }
    }
}
