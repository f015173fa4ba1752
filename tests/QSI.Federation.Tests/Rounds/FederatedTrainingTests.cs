using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Protocol.Attacks;

namespace QSI.Federation.Tests.Rounds;

public class FederatedTrainingTests
{
    internal static FederationSettings Settings(int rounds = 4) => new()
    {
        Rounds = rounds,
        MinAvailableClients = 3,
        Plan = new() { BatchSize = 16, LearningRate = 0.1 },
        Seed = 11,
    };

    [Fact]
    public void Clients_train_the_servers_model_through_frames_and_no_honest_client_is_flagged()
    {
        var federation = TestFederations.Create(Settings(), clients: 3);
        var before = federation.Training.Model.EvaluateWithLoss(TestFederations.Images(400, 99).NormalizedInputs(), TestFederations.Images(400, 99).Labels.ToArray());

        var rounds = federation.Run(4);

        Assert.InRange(before.Accuracy, 0, 0.5);
        Assert.True(rounds[^1].TestAccuracy > 0.9, $"test accuracy {rounds[^1].TestAccuracy} after 4 rounds");
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-01", "client-02"], r.Aggregated));
        Assert.All(rounds, r => Assert.Empty(r.Flagged));
        // The verifier's eps-hat over a client's whole light of a round is within a few standard errors of eps0 = 1.
        Assert.All(rounds.SelectMany(r => r.Fit), c => Assert.InRange(c.ExcessNoise!.Value, 0.8, 1.2));
        Assert.All(rounds.SelectMany(r => r.Evaluate), c => Assert.Equal(ClientRoundStatus.Aggregated, c.Status));
        Assert.True(rounds[^1].FederatedAccuracy > 0.85, $"federated accuracy {rounds[^1].FederatedAccuracy}");
    }

    [Fact]
    public void A_client_that_amplifies_more_than_it_announced_is_flagged_every_round_and_left_out()
    {
        // With these small frames sd(eps-hat) over a round is about 0.1: G' = 8 (eps = 7/4 per use,
        // not 1) stands 7 sd out, past the 1e-6 false-alarm threshold of about 5 sd.
        var federation = TestFederations.Create(Settings(rounds: 3), clients: 3, gains: [2, 8, 2]);

        var rounds = federation.Run(3);

        Assert.All(rounds, r => Assert.Equal(["client-01"], r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-02"], r.Aggregated));
        var flagged = rounds.SelectMany(r => r.Fit).Where(c => c.ClientId == "client-01").ToArray();
        Assert.All(flagged, c => Assert.InRange(c.ExcessNoise!.Value, 1.75 - 0.35, 1.75 + 0.35));
        Assert.All(flagged, c => Assert.Contains("the verifier flagged its light", c.Reason));
    }

    [Fact]
    public void A_client_that_taps_the_light_is_flagged_every_round_and_left_out_and_keeps_what_it_measured()
    {
        // Tapping half of every mode halves the returned power: T-hat = 0.5, far outside the band around 1.
        var federation = TestFederations.Create(Settings(rounds: 2), clients: 3, attacks: [null, new Tap(0.5), null]);

        var rounds = federation.Run(2);

        Assert.All(rounds, r => Assert.Equal(["client-01"], r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-02"], r.Aggregated));
        Assert.All(rounds.SelectMany(r => r.Fit).Where(c => c.ClientId == "client-01"), c => Assert.InRange(c.Transmission!.Value, 0.45, 0.55));
        var knowledge = ((DishonestDevice)federation.Clients[1].Device).Knowledge;
        Assert.NotEmpty(knowledge.Frames);
        Assert.All(knowledge.Frames, f => Assert.True(knowledge.Of(f)!.Copies > 0));
    }

    [Fact]
    public void A_client_that_withholds_its_light_cannot_be_checked_and_is_left_out()
    {
        var federation = TestFederations.Create(Settings(rounds: 1), clients: 3, attacks: [new Withhold(), null, null]);

        var round = federation.RunRound();

        Assert.Equal(["client-00"], round.Flagged);
        Assert.Equal(["client-01", "client-02"], round.Aggregated);
        Assert.All(round.Fit.Where(c => c.ClientId == "client-00"), c => Assert.Contains("the verifier could not check its light", c.Reason));
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_file_ends_with_the_same_model_and_history_as_an_uninterrupted_one()
    {
        var straight = TestFederations.Create(Settings(), clients: 3);
        straight.Run(4);

        var first = TestFederations.Create(Settings(), clients: 3);
        first.Run(2);
        using var folder = new Data.TempDirectory();
        CheckpointFile.Save(first.Training.Checkpoint(), folder.File("round-2.zip"));
        var resumed = TestFederations.Create(Settings(), clients: 3);
        resumed.Training.Restore(CheckpointFile.Load(folder.File("round-2.zip")));
        resumed.Run(4);

        Assert.Equal(ModelParameters.Flatten(straight.Training.Model), ModelParameters.Flatten(resumed.Training.Model));
        Assert.Equal(straight.Training.History.Select(r => (r.TestAccuracy, r.TrainLoss)), resumed.Training.History.Select(r => (r.TestAccuracy, r.TrainLoss)));
        Assert.Equal(straight.Training.Leakage!.MaxWeightBits("client-00"), resumed.Training.Leakage!.MaxWeightBits("client-00"));
    }

    [Fact]
    public void A_checkpoint_continues_only_a_run_of_its_own_seed()
    {
        var first = TestFederations.Create(Settings(), clients: 3);
        first.Run(1);
        var other = TestFederations.Create(Settings() with { Seed = 12 }, clients: 3);

        var error = Assert.Throws<ArgumentException>(() => other.Training.Restore(first.Training.Checkpoint()));

        Assert.Contains("seed 11; this run's seed is 12", error.Message);
    }

    [Fact]
    public void The_plain_baseline_trains_in_the_clear_with_the_same_streams()
    {
        var plain = TestFederations.Create(Settings() with { Channel = null }, clients: 3);
        var bright = TestFederations.Create(Settings() with { Channel = new ChannelSettings(Photons: 1e9, Gain: 2) }, clients: 3);

        plain.RunRound();
        bright.RunRound();

        // At a billion photons per mode the frames' noise is 1/sqrt(F) ~ 3e-5 of the signal: the
        // secure round is the plain one up to that noise.
        var a = ModelParameters.Flatten(plain.Training.Model);
        var b = ModelParameters.Flatten(bright.Training.Model);
        var difference = Math.Sqrt(a.Zip(b).Sum(p => (double)(p.First - p.Second) * (p.First - p.Second)));
        var norm = Math.Sqrt(a.Sum(v => (double)v * v));
        Assert.InRange(difference / norm, 0, 1e-3);
        Assert.Null(plain.Training.Leakage);
        Assert.All(plain.Training.History[0].Fit, c => Assert.Null(c.ExcessNoise));
    }

    [Fact]
    public void A_client_past_its_weight_budget_gets_no_more_frames()
    {
        var probe = TestFederations.Create(Settings(rounds: 1), clients: 3);
        probe.Run(1);
        var oneRound = probe.Training.Leakage!.Clients.Max(probe.Training.Leakage.MaxWeightBits);
        var federation = TestFederations.Create(Settings(rounds: 2) with { WeightBudget = 1.5 * oneRound }, clients: 3);

        var rounds = federation.Run(2);

        Assert.Contains("client-00", rounds[0].Aggregated);
        var refused = rounds[1].Fit.Where(c => c.Status == ClientRoundStatus.WeightBudgetSpent).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, c => Assert.Contains("weight budget", c.Reason));
        Assert.All(federation.Training.Leakage!.Clients, c => Assert.True(federation.Training.Leakage.MaxWeightBits(c) <= 1.5 * oneRound));
    }

    [Fact]
    public void A_client_whose_data_budget_would_be_spent_declines_and_says_why()
    {
        var federation = TestFederations.Create(Settings(rounds: 2), clients: 3, dataBudget: 0.01);

        var round = federation.RunRound();

        Assert.All(round.Fit, c => Assert.Equal(ClientRoundStatus.DataBudgetSpent, c.Status));
        Assert.All(round.Fit, c => Assert.Contains("data past its budget", c.Reason));
        Assert.False(round.ModelUpdated);
        Assert.All(federation.Clients, c => Assert.Equal(0, c.Leakage.MaxDataBits(c.Profile.ClientId)));
    }

    [Fact]
    public void A_round_with_fewer_verified_updates_than_required_keeps_the_model()
    {
        var federation = TestFederations.Create(Settings(rounds: 1) with { MinUpdates = 3 }, clients: 3, gains: [2, 8, 2]);
        var before = ModelParameters.Flatten(federation.Training.Model);

        var round = federation.RunRound();

        Assert.False(round.ModelUpdated);
        Assert.Equal(before, ModelParameters.Flatten(federation.Training.Model));
    }

    [Fact]
    public void Leakage_is_charged_per_client_and_layer_and_grows_with_every_round()
    {
        var federation = TestFederations.Create(Settings(rounds: 2), clients: 3);

        var rounds = federation.Run(2);

        var leakage = federation.Training.Leakage!;
        var layers = leakage.Of("client-00");
        Assert.Equal(2, layers.Count);
        Assert.All(layers, l => Assert.True(l.WeightBitsPerWeight > 0 && l.InputBitsPerElement > 0));
        Assert.Equal(0, layers[0].GradientBitsPerElement);
        Assert.True(layers[1].GradientBitsPerElement > 0);
        Assert.True(rounds[1].MaxWeightBitsPerWeight > rounds[0].MaxWeightBitsPerWeight);
        // The client counts what it returned; the server what its verifier measured: the same.
        Assert.Equal(federation.Clients[0].Leakage.MaxDataBits("client-00"), leakage.MaxDataBits("client-00"), 12);
    }
}
