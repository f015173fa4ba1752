using System.Text.Json;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// Faults of a federated training of real <c>qsi</c> processes: a client killed mid-round is
/// named and the run goes on without it; a phase that lacks clients waits, says so and gives up
/// after --wait-timeout; a killed server restarted with --resume is rejoined by its clients and
/// verifier on their own and ends with the uninterrupted model; a killed verifier lets no
/// unverified update through, and the run goes on once another verifier joins.
/// </summary>
[Collection(ProcessFederations.Name)]
public sealed class FaultTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public FaultTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 400, testImages: 80);

    public void Dispose() => _temp.Dispose();

    private static string[] Run(int rounds, int seed) =>
        ["--rounds", rounds.ToString(), "--hidden", "16", "--batch", "16", "--epochs", "10", "--seed", seed.ToString(), "--test-limit", "60"];

    [Fact]
    public async Task A_killed_client_is_named_dropped_out_the_rest_train_on_below_min_clients_and_a_phase_short_of_clients_waits_then_stops()
    {
        using var federation = new ProcessFederation(_temp, _data, _temp.Combine("run"), 3, Run(rounds: 60, seed: 5));
        var server = federation.Server("--with-verifier", "--min-clients", "3", "--wait-timeout", "4");
        Assert.True(await server.WaitForStderr("qsi server: up at " + federation.Seed, Patience), server.Stderr);
        var clients = federation.Clients();

        Assert.True(await federation.WaitForRound(1, Patience), server.Stderr);
        clients[2].Kill();
        var killedAfter = federation.CheckpointedRound();
        // The failure detector takes some seconds, a few short rounds, to find the killed client;
        // the rounds after the one it is dropped in are the ones that show the run going on.
        var droppedIn = await RoundDroppingOut(federation, "client-02", Patience);
        Assert.True(droppedIn > 0, server.Stderr);
        Assert.True(await federation.WaitForRound(droppedIn + 3, Patience), server.Stderr);
        // One client left of the two --min-fit-clients needs: the next fit phase cannot start.
        clients[1].Kill();

        Assert.True(await server.WaitForExit(Patience), server.Stderr);
        Assert.Equal(1, server.ExitCode);
        Assert.Empty(server.Stdout);
        Assert.Matches(@"qsi: round \d+: the fit phase waits for 1 more client to train \(1 of 2\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; the run stops if none comes within 4 s \(--wait-timeout\)", server.Stderr);
        Assert.Matches(@"qsi: error: round \d+ waited 4 s for 1 more client to train \(1 of 2\) \(--wait-timeout\); stopped after round \d+ of 60, continue with 'qsi server --train --resume ", server.Stderr);

        var rounds = Rounds(federation.Folder);
        Assert.Equal(federation.CheckpointedRound(), rounds.Length);
        // client-02 is named once, in the round it was killed in, and sampled no more.
        var dropped = rounds.Single(r => Outcomes(r).Any(c => c.Id == "client-02" && c.Status == "droppedOut"));
        var droppedRound = dropped.GetProperty("round").GetInt32();
        Assert.True(droppedRound > killedAfter, $"client-02 was dropped in round {droppedRound}, killed after round {killedAfter}");
        // Killed between tasks it left the federation; killed while its update was on the way, the download failed.
        Assert.Matches("left the federation|its update could not be pulled", Outcomes(dropped).First(c => c.Id == "client-02" && c.Status == "droppedOut").Reason);
        var after = rounds.Where(r => r.GetProperty("round").GetInt32() > droppedRound).ToArray();
        Assert.True(after.Length >= 2, $"{after.Length} rounds after round {droppedRound}");
        Assert.All(after, r => Assert.DoesNotContain(Outcomes(r), c => c.Id == "client-02"));
        // With --min-clients 3, rounds went on with the two that were there.
        Assert.Contains(after, r => Aggregated(r).SequenceEqual(["client-00", "client-01"]));
    }

    [Fact]
    public async Task A_killed_server_resumed_on_its_port_is_rejoined_by_its_clients_and_verifier_and_ends_with_the_uninterrupted_model()
    {
        // Rounds of this size take tens of milliseconds: enough of them that the kill lands mid-run.
        var run = Run(rounds: 24, seed: 7);
        var simulated = _temp.Combine("simulated");
        var simulation = Qsi.Run(["simulate", "--data", _data, "--clients", "3", .. ProcessFederation.Partition, .. run, "--out", simulated, "--json"]);
        Assert.True(simulation.ExitCode == 0, simulation.Stderr);

        using var federation = new ProcessFederation(_temp, _data, _temp.Combine("run"), 3, run);
        var server = federation.Server("--min-clients", "3");
        Assert.True(await server.WaitForStderr("qsi server: up at " + federation.Seed, Patience), server.Stderr);
        var verifier = federation.Verifier();
        var clients = federation.Clients();
        Assert.True(await federation.WaitForRound(3, Patience), server.Stderr);
        server.Kill();
        var killedAfter = federation.CheckpointedRound();
        Assert.InRange(killedAfter, 3, 23);

        var resumed = federation.Resume();
        Assert.True(await resumed.WaitForExit(Patience), resumed.Stderr);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        using var summary = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(killedAfter, summary.RootElement.GetProperty("resumedFrom").GetInt32());
        Assert.Equal(24, summary.RootElement.GetProperty("rounds").GetInt32());
        foreach (var (client, k) in clients.Select((c, k) => (c, k)))
        {
            Assert.True(await client.WaitForExit(Patience), client.Stderr);
            Assert.True(client.ExitCode == 0, client.Stderr);
            Assert.Contains($"qsi client: client-0{k}: the server left after", client.Stderr);
        }

        Assert.Contains("qsi verifier: the server left; joining again", verifier.Stderr);
        // Nothing of the interrupted round survives: the model is the uninterrupted run's, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(federation.Folder, "model.qsim")));
    }

    [Fact]
    public async Task A_killed_verifier_lets_no_unverified_update_through_and_the_run_goes_on_when_another_joins()
    {
        using var federation = new ProcessFederation(_temp, _data, _temp.Combine("run"), 2, Run(rounds: 14, seed: 3));
        var server = federation.Server("--min-clients", "2");
        Assert.True(await server.WaitForStderr("qsi server: up at " + federation.Seed, Patience), server.Stderr);
        var verifier = federation.Verifier();
        federation.Clients();
        Assert.True(await federation.WaitForRound(2, Patience), server.Stderr);
        verifier.Kill();
        var killedAfter = federation.CheckpointedRound();

        Assert.True(await server.WaitForStderr("phase waits for a verifier since", Patience), server.Stderr);
        var waitedAfter = federation.CheckpointedRound();
        federation.Verifier();
        Assert.True(await server.WaitForExit(Patience), server.Stderr);
        Assert.True(server.ExitCode == 0, server.Stderr);

        var rounds = Rounds(federation.Folder);
        Assert.Equal(14, rounds.Length);
        // Fail closed: every update used was checked by a verifier...
        Assert.All(rounds.SelectMany(r => r.GetProperty("fit").EnumerateArray()).Where(c => c.GetProperty("status").GetString() == "aggregated"),
            c => Assert.Equal(JsonValueKind.Number, c.GetProperty("excessNoise").ValueKind));
        // ...and the tasks the dead verifier held were dropped, not used.
        var hit = rounds.Where(r => r.GetProperty("round").GetInt32() > killedAfter && r.GetProperty("round").GetInt32() <= waitedAfter + 1).ToArray();
        Assert.Contains(hit, r => Outcomes(r).Any(c => c.Status == "droppedOut" && c.Reason!.Contains("verifier")));
        Assert.True(rounds[^1].GetProperty("modelUpdated").GetBoolean());
    }

    /// <summary>The checkpointed round in which <paramref name="client"/> is first named droppedOut; 0 if none is within <paramref name="timeout"/>.</summary>
    private static async Task<int> RoundDroppingOut(ProcessFederation federation, string client, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            try
            {
                var dropped = Rounds(federation.Folder).FirstOrDefault(r => Outcomes(r).Any(c => c.Id == client && c.Status == "droppedOut"));
                if (dropped.ValueKind == JsonValueKind.Object) return dropped.GetProperty("round").GetInt32();
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Not written yet, or being rewritten at a checkpoint.
            }
        }

        return 0;
    }

    private static JsonElement[] Rounds(string folder) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json"))).RootElement.GetProperty("rounds").EnumerateArray()];

    private static IEnumerable<(string Id, string Status, string? Reason)> Outcomes(JsonElement round) =>
        round.GetProperty("fit").EnumerateArray().Concat(round.GetProperty("evaluate").EnumerateArray())
            .Select(c => (c.GetProperty("clientId").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("reason").GetString()));

    private static IEnumerable<string> Aggregated(JsonElement round) =>
        round.GetProperty("fit").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "aggregated").Select(c => c.GetProperty("clientId").GetString()!);
}
