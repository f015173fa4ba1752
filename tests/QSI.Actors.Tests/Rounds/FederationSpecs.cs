using QSI.Federation.Rounds;

namespace QSI.Actors.Tests.Rounds;

public class FederationSpecs : TrainingSpec
{
    [Fact]
    public void Three_clients_train_the_servers_model_through_frames_and_the_verifier_accepts_every_honest_one()
    {
        var settings = Settings(rounds: 3);
        var training = Training(settings);
        var observer = CreateTestProbe();
        var server = Server(training, observer, Verifier(settings));
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        var rounds = Rounds(observer);

        Assert.Equal([1, 2, 3], rounds.Select(r => r.Round));
        Assert.All(rounds, r => Assert.Equal(["a", "b", "c"], r.Aggregated));
        Assert.All(rounds, r => Assert.Empty(r.Flagged));
        Assert.True(rounds[^1].TestAccuracy > 0.9, $"test accuracy {rounds[^1].TestAccuracy}");
    }
}
