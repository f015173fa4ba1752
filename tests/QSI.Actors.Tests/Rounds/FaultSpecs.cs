using Akka.Actor;
using QSI.Actors.Roles;
using QSI.Federation.Rounds;

namespace QSI.Actors.Tests.Rounds;

/// <summary>
/// The server's rules for faults: --min-clients before the first round only, a phase short of
/// clients or of a verifier waits, says so and gives up at its wait timeout, and the checks a
/// verifier takes with it when it stops are never counted.
/// </summary>
public class FaultSpecs : TrainingSpec
{
    [Fact]
    public void Rounds_go_on_below_min_clients_until_a_fit_phase_lacks_min_fit_clients_then_it_waits_and_gives_up_at_its_timeout()
    {
        var settings = Settings(rounds: 30) with { MinFitClients = 2, FractionEvaluate = 0, WaitTimeout = TimeSpan.FromSeconds(2) };
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        var clients = new[] { ("a", 1), ("b", 2), ("c", 3) }.Select(c => Client(c.Item1, server, owner, c.Item2)).ToArray();

        Next<TrainingServerActor.RoundCompleted>(observer);
        clients[2].Tell(PoisonPill.Instance);
        // The rounds after go on with a and b, below --min-clients 3.
        var round = Next<TrainingServerActor.RoundCompleted>(observer).Record;
        while (round.Fit.Any(c => c.ClientId == "c")) round = Next<TrainingServerActor.RoundCompleted>(observer).Record;
        Assert.Equal(["a", "b"], round.Aggregated);
        clients[1].Tell(PoisonPill.Instance);

        var waiting = Next<TrainingServerActor.Waiting>(observer);
        Assert.Equal(TaskKind.Fit, waiting.Kind);
        Assert.Equal("1 more client to train (1 of 2)", waiting.For);
        Assert.Equal(TimeSpan.FromSeconds(2), waiting.Timeout);
        var gaveUp = Next<TrainingServerActor.GaveUp>(observer);
        Assert.Equal(waiting.Round, gaveUp.Round);
        Assert.Equal($"round {waiting.Round} waited 2 s for 1 more client to train (1 of 2) (--wait-timeout)", gaveUp.Reason);
    }

    [Fact]
    public void When_the_verifier_stops_no_unchecked_result_counts_the_next_phase_waits_for_one_and_goes_on_with_the_next()
    {
        var settings = Settings(rounds: 30) with { FractionEvaluate = 0 };
        var observer = CreateTestProbe();
        var verifier = Verifier(settings);
        var server = Server(Training(settings), observer, verifier);
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        var first = Next<TrainingServerActor.RoundCompleted>(observer).Record;
        verifier.Tell(PoisonPill.Instance);
        // Rounds may still complete before the server sees the verifier gone; keep them.
        var before = new List<RoundRecord> { first };
        var waiting = (TrainingServerActor.Waiting)observer.FishForMessage(m =>
        {
            if (m is TrainingServerActor.RoundCompleted done) before.Add(done.Record);
            return m is TrainingServerActor.Waiting;
        }, Patience);
        Assert.Equal("a verifier", waiting.For);
        server.Tell(new PeerLocator.Found("verifier", Verifier(settings, "second")));
        var rounds = before.Concat(Rounds(observer)).ToList();

        Assert.Equal(Enumerable.Range(1, 30), rounds.Select(r => r.Round));
        // Every update used had its verdict; those whose verifier stopped first were dropped, named.
        Assert.All(rounds.SelectMany(r => r.Fit).Where(c => c.Status == ClientRoundStatus.Aggregated), c => Assert.NotNull(c.ExcessNoise));
        Assert.All(rounds.SelectMany(r => r.Fit).Where(c => c.Status != ClientRoundStatus.Aggregated),
            c => Assert.Contains("its verifier left before its verdict", c.Reason));
        Assert.Equal(["a", "b", "c"], rounds[^1].Aggregated);
    }

    [Fact]
    public void Each_round_is_checkpointed_before_anyone_hears_of_it_and_a_checkpoint_that_cannot_be_written_stops_the_run()
    {
        var settings = Settings(rounds: 5) with { FractionEvaluate = 0 };
        var observer = CreateTestProbe();
        var kept = new List<int>();
        // Round 3's checkpoint fails, as a full disk would make it.
        var server = Sys.ActorOf(TrainingServerActor.Props(Training(settings), observer, Verifier(settings), keep: checkpoint =>
        {
            if (checkpoint.CompletedRounds == 3) throw new IOException("No space left on device");
            lock (kept) kept.Add(checkpoint.CompletedRounds);
        }), TrainingServerActor.Name);
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        for (var round = 1; round <= 2; round++)
        {
            var completed = Next<TrainingServerActor.RoundCompleted>(observer);
            // Kept before it was announced (the next round's may be kept already by the time this is read).
            lock (kept) Assert.Contains(completed.Record.Round, kept);
        }
        var gaveUp = (TrainingServerActor.GaveUp)observer.FishForMessage(m => m is TrainingServerActor.GaveUp or TrainingServerActor.RoundCompleted, Patience);

        Assert.Equal("the checkpoint of round 3 could not be written: No space left on device", gaveUp.Reason);
        lock (kept) Assert.Equal([1, 2], kept);
        // Round 3 was never announced, and no fourth begins.
        var after = observer.ReceiveWhile<object>(TimeSpan.FromSeconds(2), m => m);
        Assert.DoesNotContain(after, m => m is TrainingServerActor.PhaseStarted or TrainingServerActor.RoundCompleted or TrainingServerActor.TrainingCompleted);
    }

    private static T Next<T>(Akka.TestKit.TestProbe observer) => (T)observer.FishForMessage(m => m is T, Patience);
}
