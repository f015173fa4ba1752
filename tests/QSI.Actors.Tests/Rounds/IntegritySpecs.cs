using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Roles;
using QSI.Actors.Transfer;
using QSI.Federation.Models;
using QSI.Federation.Rounds;

namespace QSI.Actors.Tests.Rounds;

/// <summary>
/// Who may say what in a round: a client that forges its verdict, speaks for another client and
/// replays its last round changes nothing, is flagged, and every forged message is counted.
/// </summary>
public class IntegritySpecs : TrainingSpec
{
    [Fact]
    public void A_client_that_forges_its_verdict_speaks_for_another_and_replays_is_flagged_and_nothing_it_forged_counts()
    {
        var settings = Settings(rounds: 2) with { FractionEvaluate = 0 };
        var training = Training(settings);
        var observer = CreateTestProbe();
        var server = Server(training, observer, Verifier(settings));
        var owner = CreateTestProbe();
        Client("a", server, owner, seed: 1);
        Client("b", server, owner, seed: 2);
        var forger = CreateTestProbe();
        var store = Sys.ActorOf(BlobStore.Props(), "forger-store");
        server.Tell(new Training.Join("forger", 240, 60), forger);
        forger.ExpectMsg<Training.Welcome>(Patience);

        Training.Update? last = null;
        for (var round = 1; round <= 2; round++)
        {
            var task = forger.FishForMessage<Training.Task>(_ => true, Patience);
            // It never returns its light; it tells the server the verifier accepted it.
            server.Tell(new Verification.TaskVerdict(task.RequestId, "forger", 12345, true, 1, 1, 0, 0, null, true), forger);
            // It sends an update under another client's name.
            server.Tell(new Training.Update(task.RequestId, "a", 240, 0.1, Zeros(store, server, training)), forger);
            // It replays its last round.
            if (last is not null) server.Tell(last, forger);
            last = new Training.Update(task.RequestId, "forger", 240, 0.1, Zeros(store, server, training));
            server.Tell(last, forger);
        }
        var rounds = Rounds(observer);

        Assert.Equal(2, rounds.Count);
        Assert.All(rounds, r => Assert.Equal(["forger"], r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["a", "b"], r.Aggregated));
        Assert.All(rounds, r => Assert.Contains("it returned no light", r.Fit.Single(c => c.ClientId == "forger").Reason));
        // Round 1: the verdict and the update under "a"; round 2: those and the replay.
        Assert.Equal([2, 3], rounds.Select(r => r.RejectedMessages));
    }

    [Fact]
    public void A_stranger_can_neither_end_a_clients_training_nor_hand_it_a_task()
    {
        var settings = Settings(rounds: 1) with { FractionEvaluate = 0 };
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        var a = Client("a", server, owner, seed: 1);
        var stranger = CreateTestProbe();
        a.Tell(new Messages.Training.Finished(1, 0.99), stranger);
        a.Tell(new Messages.Training.Task(42, 1, Messages.Training.TaskKindCode.Fit, 1, 16, 0.1, 0, false, 240, 1, [new Blobs.Offer(BlobId.New(), "frame", 100, 100, stranger.Ref)], null), stranger);
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Client("b", server, owner, seed: 2);
        Client("c", server, owner, seed: 3);

        var round = Assert.Single(Rounds(observer));

        Assert.Equal(["a", "b", "c"], round.Aggregated);
        var done = Enumerable.Range(0, 3).Select(_ => owner.ExpectMsg<TrainingClientActor.Done>(Patience)).ToArray();
        Assert.Equal(["a", "b", "c"], done.Select(d => d.ClientId).Order());
        Assert.All(done, d => Assert.Null(d.Failure));
    }

    [Fact]
    public void Honest_rounds_reject_nothing()
    {
        var settings = Settings(rounds: 2);
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        Assert.All(Rounds(observer), r => Assert.Equal(0, r.RejectedMessages));
    }

    /// <summary>An all-zero update offered for the server to pull.</summary>
    private static Blobs.Offer Zeros(IActorRef store, IActorRef server, FederatedTraining training) =>
        store.Ask<BlobStore.Published>(new BlobStore.Publish(ModelParameters.Encode(new float[training.Model.ParameterCount]), "update", server), Patience)
            .Result.Offer;
}
