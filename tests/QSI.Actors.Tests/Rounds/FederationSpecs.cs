using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Roles;
using QSI.Federation.Rounds;

namespace QSI.Actors.Tests.Rounds;

public class FederationSpecs : TrainingSpec
{
    [Fact]
    public void Three_clients_train_the_servers_model_through_frames_and_the_verifier_accepts_every_honest_one()
    {
        var settings = Settings(rounds: 3);
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        var rounds = Rounds(observer);

        Assert.Equal([1, 2, 3], rounds.Select(r => r.Round));
        Assert.All(rounds, r => Assert.Equal(["a", "b", "c"], r.Aggregated));
        Assert.All(rounds, r => Assert.Empty(r.Flagged));
        Assert.All(rounds, r => Assert.Equal(3, r.Evaluate.Count(c => c.Status == ClientRoundStatus.Aggregated)));
        Assert.True(rounds[^1].TestAccuracy > 0.9, $"test accuracy {rounds[^1].TestAccuracy}");
        // Every client hears that the training is over, and stops.
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, 3).Select(_ => owner.ExpectMsg<TrainingClientActor.Done>(Patience)).Select(d => d.ClientId).Order());
    }

    [Fact]
    public void An_over_curious_client_is_flagged_every_round_and_its_update_is_left_out()
    {
        var settings = Settings(rounds: 2);
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        Client("a", server, owner, seed: 1);
        Client("b", server, owner, seed: 2, gain: 8);
        Client("c", server, owner, seed: 3);

        var rounds = Rounds(observer);

        Assert.All(rounds, r => Assert.Equal(["b"], r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["a", "c"], r.Aggregated));
        // Caught in the fit phase, it gets no light to evaluate with in the same round.
        Assert.All(rounds, r => Assert.Contains("no light to evaluate with", r.Evaluate.Single(c => c.ClientId == "b").Reason));
        Assert.All(rounds, r => Assert.Equal(ClientRoundStatus.Flagged, r.Evaluate.Single(c => c.ClientId == "b").Status));
    }

    [Fact]
    public void A_client_that_never_answers_is_dropped_as_a_straggler_at_the_deadline_and_named()
    {
        var settings = Settings(rounds: 1) with { RoundTimeout = TimeSpan.FromSeconds(6), FractionEvaluate = 0 };
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        Client("a", server, owner, seed: 1);
        Client("b", server, owner, seed: 2);
        var silent = CreateTestProbe();
        server.Tell(new Training.Join("mute", 240, 60), silent);

        var round = Assert.Single(Rounds(observer));

        Assert.Equal(["mute"], round.Stragglers);
        Assert.Equal(["a", "b"], round.Aggregated);
        Assert.Contains("deadline of 6 s", round.Fit.Single(c => c.ClientId == "mute").Reason);
        Assert.InRange(round.Seconds, 5.5, 30);
    }

    [Fact]
    public void A_client_that_leaves_during_a_round_is_dropped_and_the_round_goes_on_without_it()
    {
        var settings = Settings(rounds: 1) with { FractionEvaluate = 0 };
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, Verifier(settings));
        var owner = CreateTestProbe();
        Client("a", server, owner, seed: 1);
        Client("b", server, owner, seed: 2);
        var leaving = CreateTestProbe();
        var relay = Sys.ActorOf(Props.Create(() => new Relay(leaving)));
        server.Tell(new Training.Join("leaver", 240, 60), relay);
        leaving.ExpectMsg<Training.Welcome>(Patience);
        leaving.ExpectMsg<Training.Task>(Patience);
        relay.Tell(PoisonPill.Instance);

        var round = Assert.Single(Rounds(observer));

        var outcome = round.Fit.Single(c => c.ClientId == "leaver");
        Assert.Equal(ClientRoundStatus.DroppedOut, outcome.Status);
        Assert.Contains("left the federation", outcome.Reason);
        Assert.Equal(["a", "b"], round.Aggregated);
    }

    [Fact]
    public void The_plain_baseline_runs_without_a_verifier_and_sends_the_parameters_in_the_clear()
    {
        var settings = Settings(rounds: 2) with { Channel = null };
        var observer = CreateTestProbe();
        var server = Server(Training(settings), observer, verifier: null);
        var owner = CreateTestProbe();
        foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed);

        var rounds = Rounds(observer);

        Assert.All(rounds, r => Assert.Equal(["a", "b", "c"], r.Aggregated));
        Assert.All(rounds.SelectMany(r => r.Fit), c => Assert.Null(c.ExcessNoise));
        Assert.All(rounds, r => Assert.Null(r.MaxWeightBitsPerWeight));
    }

    [Fact]
    public void Under_secure_aggregation_the_masked_updates_sum_to_what_the_clients_would_have_sent_in_the_clear()
    {
        Federation.Models.Mlp Train(bool masked)
        {
            // Of three clients one is flagged: a threshold of two lets the other two finish.
            var settings = Settings(rounds: 2) with { SecureAggregation = masked, SecAggThreshold = masked ? 2 : null };
            var training = Training(settings);
            var observer = CreateTestProbe();
            var server = Sys.ActorOf(TrainingServerActor.Props(training, observer, Verifier(settings, masked ? "masked" : "clear")), $"server-{masked}");
            var owner = CreateTestProbe();
            foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) }) Client(id, server, owner, seed, gain: id == "b" ? 8 : 2, suffix: masked ? "masked" : "clear");
            var rounds = Rounds(observer);
            Assert.All(rounds, r => Assert.Equal(["b"], r.Flagged));
            Assert.All(rounds, r => Assert.True(r.ModelUpdated));
            return training.Model;
        }

        var masked = Federation.Models.ModelParameters.Flatten(Train(masked: true));
        var clear = Federation.Models.ModelParameters.Flatten(Train(masked: false));

        // Fixed point at 2^-24 per sample-weighted value: the two sums differ by rounding only.
        Assert.All(masked.Zip(clear), p => Assert.Equal(p.Second, p.First, 1e-5f));
        Assert.NotEqual(masked, clear);
    }

    [Fact]
    public void Under_secure_aggregation_a_client_that_leaves_after_uploading_its_masked_update_has_its_masks_removed_by_the_others()
    {
        Federation.Models.Mlp Train(bool masked)
        {
            var suffix = masked ? "leaves-masked" : "leaves-clear";
            // Four clients, threshold floor(8/3) + 1 = 3. Client d trains first, uploads, and leaves
            // before the others have trained: it is in U2 but not among the survivors. The clear
            // reference runs a, b and c alone (a clear update folded before its client leaves counts).
            var settings = Settings(rounds: 1) with { SecureAggregation = masked, MinAvailableClients = masked ? 4 : 3, FractionEvaluate = 0 };
            var training = Training(settings);
            var observer = CreateTestProbe();
            var server = Sys.ActorOf(TrainingServerActor.Props(training, observer, Verifier(settings, suffix)), $"server-{suffix}");
            var owner = CreateTestProbe();
            var held = new SemaphoreSlim(0);
            foreach (var (id, seed) in new[] { ("a", 1), ("b", 2), ("c", 3) })
                Sys.ActorOf(TrainingClientActor.Props(id, Images(240, seed), Images(60, seed + 1000), new ClientOptions { Gain = 2, Seed = 7 }, owner, held, server), $"client-{id}-{suffix}");
            if (masked)
            {
                var leaver = Sys.ActorOf(TrainingClientActor.Props("d", Images(240, 4), Images(60, 1004), new ClientOptions { Gain = 2, Seed = 7 }, owner, new SemaphoreSlim(1), server),
                    $"client-d-{suffix}");
                observer.FishForMessage(m => m is TrainingServerActor.TaskSettled { ClientId: "d" }, Patience);
                Watch(leaver);
                leaver.Tell(PoisonPill.Instance);
                ExpectTerminated(leaver, Patience);
            }
            held.Release(3);

            var round = Assert.Single(Rounds(observer));

            Assert.Equal(["a", "b", "c"], round.Aggregated);
            if (masked) Assert.Contains("left the federation", round.Fit.Single(f => f.ClientId == "d").Reason);
            Assert.True(round.ModelUpdated);
            return training.Model;
        }

        var masked = Federation.Models.ModelParameters.Flatten(Train(masked: true));
        var clear = Federation.Models.ModelParameters.Flatten(Train(masked: false));

        // d's masking key was rebuilt from three shares and its pairwise masks taken out: the sum is the clear one, to the fixed point's rounding.
        Assert.All(masked.Zip(clear), p => Assert.Equal(p.Second, p.First, 1e-5f));
    }

    /// <summary>A client that only passes what it receives to a probe, and can be stopped.</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef probe) => ReceiveAny(m => probe.Forward(m));
    }

    [Fact]
    public void A_second_client_with_a_taken_name_is_refused()
    {
        var settings = Settings(rounds: 1);
        var server = Server(Training(settings), CreateTestProbe(), Verifier(settings));
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        server.Tell(new Training.Join("a", 10, 0), first);
        first.ExpectMsg<Training.Welcome>(Patience);

        server.Tell(new Training.Join("a", 10, 0), second);

        Assert.Contains("another client named a", second.ExpectMsg<Training.JoinRefused>(Patience).Reason);
    }
}
