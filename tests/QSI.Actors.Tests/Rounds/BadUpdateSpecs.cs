using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Rounds;

namespace QSI.Actors.Tests.Rounds;

/// <summary>
/// Updates that are no change a model can take, sent over the wire codecs: the server rejects
/// them, names the client in the round's record and counts them, and the model stays finite.
/// </summary>
public class BadUpdateSpecs : TrainingSpec
{
    [Fact]
    public void A_client_that_sends_nan_is_rejected_every_round_and_the_others_train_the_model()
    {
        var settings = Settings(rounds: 2) with { FractionEvaluate = 0, Channel = null };
        var training = Training(settings);
        var observer = CreateTestProbe();
        var server = Server(training, observer, verifier: null);
        var owner = CreateTestProbe();
        Client("a", server, owner, seed: 1);
        Client("b", server, owner, seed: 2, conduct: new NanClient());
        Client("c", server, owner, seed: 3);

        var rounds = Rounds(observer);

        Assert.Equal(2, rounds.Count);
        Assert.All(rounds, r => Assert.Equal(["a", "c"], r.Aggregated));
        Assert.All(rounds, r => Assert.Equal(1, r.RejectedUpdates));
        var b = rounds.Select(r => r.Fit.Single(c => c.ClientId == "b")).ToArray();
        Assert.All(b, c => Assert.Equal(ClientRoundStatus.Rejected, c.Status));
        Assert.All(b, c => Assert.Contains("value 0 is NaN, not a finite number", c.Reason));
        Assert.All(ModelParameters.Flatten(training.Model), w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void Updates_beyond_the_norm_limit_are_rejected_and_the_model_is_kept()
    {
        var settings = Settings(rounds: 1) with { FractionEvaluate = 0, Channel = null, MaxUpdateNorm = 1e-3 };
        var training = Training(settings);
        var before = ModelParameters.Flatten(training.Model);
        var observer = CreateTestProbe();
        var server = Server(training, observer, verifier: null);
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        var round = Assert.Single(Rounds(observer));

        Assert.Equal(3, round.RejectedUpdates);
        Assert.False(round.ModelUpdated);
        Assert.All(round.Fit, c => Assert.Contains("exceeds the limit of 0.001", c.Reason));
        Assert.Equal(before, ModelParameters.Flatten(training.Model));
    }
}
