using System.Text.Json;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// Federated training as real <c>qsi</c> processes on loopback: a server, a verifier and two
/// clients, each its own process, train as <c>qsi simulate</c> does in one; and a simulation
/// stopped with SIGTERM resumes to the model an uninterrupted run ends with.
/// </summary>
[Collection(ProcessFederations.Name)]
public sealed class FederatedClusterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public FederatedClusterTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 400, testImages: 80);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_server_a_verifier_and_two_clients_as_processes_train_the_same_model_as_a_simulation_of_them()
    {
        string[] shared = ["--rounds", "3", "--hidden", "16", "--batch", "16", "--seed", "5", "--test-limit", "60"];
        var simulated = _temp.Combine("simulated");
        var simulation = Qsi.Run(["simulate", "--data", _data, "--clients", "2", "--partition", "dirichlet:1", .. shared, "--out", simulated, "--json"]);
        Assert.True(simulation.ExitCode == 0, simulation.Stderr);

        var port = Ports.Free();
        var seed = $"akka.ssl.tcp://qsi@127.0.0.1:{port}";
        var folder = _temp.Combine("cluster");
        using var server = QsiProcess.Start(["server", "--train", "--data", _data, "--min-clients", "2", .. shared,
            "--port", port.ToString(), "--out", folder, "--json"]);
        Assert.True(await server.WaitForStderr("qsi server: up at " + seed, Patience), server.Stderr);
        // The run's seed seeds the verifier's noise too, as in the simulation.
        using var verifier = QsiProcess.Start("verifier", "--seed", "5", "--seed-node", seed);
        using var clients = new DisposableList<QsiProcess>(Enumerable.Range(0, 2).Select(k => QsiProcess.Start(
            "client", "--train", "--data", _data, "--shard", $"{k}/2", "--partition", "dirichlet:1", "--seed", "5", "--seed-node", seed, "--json")));

        Assert.True(await server.WaitForExit(Patience), $"the server did not finish: {server.Stderr}");
        Assert.True(server.ExitCode == 0, server.Stderr);
        foreach (var (client, k) in clients.Select((c, k) => (c, k)))
        {
            Assert.True(await client.WaitForExit(Patience), $"client {k} did not finish: {client.Stderr}");
            Assert.True(client.ExitCode == 0, client.Stderr);
            using var report = JsonDocument.Parse(client.Stdout);
            Assert.Equal($"client-0{k}", report.RootElement.GetProperty("clientId").GetString());
            Assert.Equal(6, report.RootElement.GetProperty("tasks").GetInt32());
            Assert.True(report.RootElement.GetProperty("dataBits").GetDouble() > 0);
        }

        using var summary = JsonDocument.Parse(server.Stdout);
        Assert.Equal(3, summary.RootElement.GetProperty("rounds").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("clients").GetInt32());
        Assert.Empty(summary.RootElement.GetProperty("flaggedClients").EnumerateArray());
        // The same seed, flags and data: the processes train exactly the model the simulation trained.
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
        verifier.Terminate();
        Assert.True(await verifier.WaitForExit(Patience), verifier.Stderr);
        Assert.True(verifier.ExitCode == 0, verifier.Stderr);
    }

    [Fact]
    public async Task A_csv_table_federated_by_processes_trains_the_model_its_simulation_trains()
    {
        // Every process reads the table and standardises it with the same training statistics, so the
        // clients' shards and the server's held-out rows match the simulation's.
        string[] data = ["--data-format", "csv", "--data", Path.Combine(AppContext.BaseDirectory, "data", "blobs.csv")];
        string[] shared = ["--rounds", "2", "--hidden", "16", "--batch", "16", "--seed", "5"];
        var simulated = _temp.Combine("simulated");
        var simulation = Qsi.Run(["simulate", .. data, "--clients", "2", "--partition", "iid", .. shared, "--out", simulated, "--json"]);
        Assert.True(simulation.ExitCode == 0, simulation.Stderr);

        var port = Ports.Free();
        var seed = $"akka.ssl.tcp://qsi@127.0.0.1:{port}";
        var folder = _temp.Combine("cluster");
        using var server = QsiProcess.Start(["server", "--train", .. data, "--min-clients", "2", .. shared, "--port", port.ToString(), "--out", folder, "--json"]);
        Assert.True(await server.WaitForStderr("qsi server: up at " + seed, Patience), server.Stderr);
        using var verifier = QsiProcess.Start("verifier", "--seed", "5", "--seed-node", seed);
        using var clients = new DisposableList<QsiProcess>(Enumerable.Range(0, 2).Select(k => QsiProcess.Start(
            ["client", "--train", .. data, "--shard", $"{k}/2", "--partition", "iid", "--seed", "5", "--seed-node", seed, "--json"])));

        Assert.True(await server.WaitForExit(Patience), $"the server did not finish: {server.Stderr}");
        Assert.True(server.ExitCode == 0, server.Stderr);
        foreach (var client in clients)
        {
            Assert.True(await client.WaitForExit(Patience), client.Stderr);
            Assert.True(client.ExitCode == 0, client.Stderr);
        }

        using var summary = JsonDocument.Parse(server.Stdout);
        Assert.True(summary.RootElement.GetProperty("testAccuracy").GetDouble() >= 0.9, server.Stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
        verifier.Terminate();
        Assert.True(await verifier.WaitForExit(Patience), verifier.Stderr);
    }

    [Fact]
    public async Task Processes_behind_a_real_channel_each_simulating_its_side_train_the_model_of_its_simulation()
    {
        // The clients take their detector and the channel's noise on the light that reaches them, the
        // verifier its detector and the return path, the server the whole testbed (for its account and final test).
        string[] data = ["--data-format", "csv", "--data", Path.Combine(AppContext.BaseDirectory, "data", "blobs.csv")];
        string[] shared = ["--rounds", "2", "--hidden", "16", "--batch", "16", "--seed", "5"];
        string[] clientSide = ["--client-efficiency", "0.8", "--client-electronic-noise", "0.05", "--channel-excess-noise", "0.02"];
        string[] verifierSide = ["--verifier-efficiency", "0.9", "--return-transmission", "0.8", "--channel-excess-noise", "0.02"];
        string[] testbed = [.. clientSide, "--verifier-efficiency", "0.9", "--return-transmission", "0.8"];
        var simulated = _temp.Combine("simulated");
        var simulation = Qsi.Run(["simulate", .. data, "--clients", "2", "--partition", "iid", .. shared, .. testbed, "--out", simulated, "--json"]);
        Assert.True(simulation.ExitCode == 0, simulation.Stderr);
        Assert.Equal(0, simulation.Json.GetProperty("flaggedClients").GetArrayLength());

        var port = Ports.Free();
        var seed = $"akka.ssl.tcp://qsi@127.0.0.1:{port}";
        var folder = _temp.Combine("cluster");
        using var server = QsiProcess.Start(["server", "--train", .. data, "--min-clients", "2", .. shared, .. testbed, "--port", port.ToString(), "--out", folder, "--json"]);
        Assert.True(await server.WaitForStderr("qsi server: up at " + seed, Patience), server.Stderr);
        using var verifier = QsiProcess.Start(["verifier", "--seed", "5", .. verifierSide, "--seed-node", seed]);
        using var clients = new DisposableList<QsiProcess>(Enumerable.Range(0, 2).Select(k => QsiProcess.Start(
            ["client", "--train", .. data, "--shard", $"{k}/2", "--partition", "iid", "--seed", "5", .. clientSide, "--seed-node", seed, "--json"])));

        Assert.True(await server.WaitForExit(Patience), $"the server did not finish: {server.Stderr}");
        Assert.True(server.ExitCode == 0, server.Stderr);
        using var summary = JsonDocument.Parse(server.Stdout);
        Assert.Equal(0, summary.RootElement.GetProperty("flaggedClients").GetArrayLength());
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
        // The channel changes the training: the same run behind the ideal channel ends elsewhere.
        var ideal = _temp.Combine("ideal");
        Assert.Equal(0, Qsi.Run(["simulate", .. data, "--clients", "2", "--partition", "iid", .. shared, "--out", ideal, "--json"]).ExitCode);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(ideal, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
        verifier.Terminate();
        Assert.True(await verifier.WaitForExit(Patience), verifier.Stderr);
    }

    [Fact]
    public async Task A_forging_client_process_is_flagged_every_round_and_changes_nothing_the_simulation_of_it_does_not()
    {
        string[] shared = ["--rounds", "2", "--hidden", "16", "--batch", "16", "--seed", "5", "--test-limit", "60", "--partition", "iid"];
        var simulated = _temp.Combine("simulated");
        var simulation = Qsi.Run(["simulate", "--data", _data, "--clients", "3", "--adversary", "forge", .. shared, "--out", simulated, "--json"]);
        Assert.True(simulation.ExitCode == 0, simulation.Stderr);

        var port = Ports.Free();
        var seed = $"akka.ssl.tcp://qsi@127.0.0.1:{port}";
        var folder = _temp.Combine("cluster");
        using var server = QsiProcess.Start(["server", "--train", "--data", _data, "--min-clients", "3", .. shared[..^2],
            "--port", port.ToString(), "--out", folder, "--json"]);
        Assert.True(await server.WaitForStderr("qsi server: up at " + seed, Patience), server.Stderr);
        using var verifier = QsiProcess.Start("verifier", "--seed", "5", "--seed-node", seed);
        // client-00 forges: it never returns its light, tells the server it passed, speaks for client-01 and replays itself.
        using var clients = new DisposableList<QsiProcess>(Enumerable.Range(0, 3).Select(k => QsiProcess.Start([
            "client", "--train", "--data", _data, "--shard", $"{k}/3", "--partition", "iid", "--seed", "5", "--seed-node", seed, "--json",
            .. k == 0 ? new[] { "--adversary", "forge" } : []])));

        Assert.True(await server.WaitForExit(Patience), $"the server did not finish: {server.Stderr}");
        Assert.True(server.ExitCode == 0, server.Stderr);
        using var summary = JsonDocument.Parse(server.Stdout);
        Assert.Equal(["client-00"], summary.RootElement.GetProperty("flaggedClients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, summary.RootElement.GetProperty("excludedUpdates").GetInt32());
        Assert.Equal(simulation.Json.GetProperty("rejectedMessages").GetInt32(), summary.RootElement.GetProperty("rejectedMessages").GetInt32());
        Assert.True(summary.RootElement.GetProperty("rejectedMessages").GetInt32() >= 4, summary.RootElement.GetProperty("rejectedMessages").ToString());
        // Nothing the forger sent reached the model: it is the simulation's, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
        var rounds = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json"))).RootElement.GetProperty("rounds");
        Assert.All(rounds.EnumerateArray(), r => Assert.Contains("it returned no light",
            r.GetProperty("fit").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == "client-00").GetProperty("reason").GetString()));
        foreach (var client in clients) Assert.True(await client.WaitForExit(Patience), client.Stderr);
    }

    [Fact]
    public async Task A_training_server_stopped_with_SIGTERM_resumes_with_new_client_processes_to_the_simulations_model()
    {
        // Rounds of this size take a few hundredths of a second: 40 of them leave the SIGTERM after
        // round 1 time to land before the run is over; the resumed run gets minutes on a loaded machine.
        string[] shared = ["--rounds", "40", "--hidden", "16", "--batch", "16", "--seed", "8", "--test-limit", "60"];
        var simulated = _temp.Combine("simulated");
        Assert.Equal(0, Qsi.Run(["simulate", "--data", _data, "--clients", "2", "--partition", "iid", .. shared, "--out", simulated, "--json"]).ExitCode);

        var folder = _temp.Combine("cluster");
        var port = Ports.Free();
        using (var server = QsiProcess.Start(["server", "--train", "--with-verifier", "--data", _data, "--min-clients", "2", .. shared,
                   "--port", port.ToString(), "--out", folder]))
        {
            Assert.True(await server.WaitForStderr("qsi server: up at", Patience), server.Stderr);
            using var clients = Clients(port, "iid", "8");
            await StopAfter(server, Path.Combine(folder, "checkpoints", "round-0001.zip"), $"continue with 'qsi server --train --resume {folder}'");
        }

        port = Ports.Free();
        using var resumed = QsiProcess.Start("server", "--train", "--resume", folder, "--port", port.ToString(), "--json");
        Assert.True(await resumed.WaitForStderr("qsi server: up at", Patience), resumed.Stderr);
        using var newcomers = Clients(port, "iid", "8");
        Assert.True(await resumed.WaitForExit(TimeSpan.FromMinutes(5)), resumed.Stderr);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        using var summary = JsonDocument.Parse(resumed.Stdout);
        Assert.InRange(summary.RootElement.GetProperty("resumedFrom").GetInt32(), 1, 39);
        Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.qsim")), File.ReadAllBytes(Path.Combine(folder, "model.qsim")));
    }

    /// <summary>Waits for <paramref name="checkpoint"/>, stops the run with SIGTERM, and checks it stopped as a run that can continue.</summary>
    private static async Task StopAfter(QsiProcess process, string checkpoint, string advice)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(checkpoint) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(File.Exists(checkpoint), process.Stderr);
        process.Terminate();
        Assert.True(await process.WaitForExit(Patience), process.Stderr);
        Assert.Equal(130, process.ExitCode);
        Assert.Contains(advice, process.Stderr);
    }

    private DisposableList<QsiProcess> Clients(int port, string partition, string seed) => new(Enumerable.Range(0, 2).Select(k => QsiProcess.Start(
        "client", "--train", "--data", _data, "--shard", $"{k}/2", "--partition", partition, "--seed", seed, "--seed-node", $"akka.ssl.tcp://qsi@127.0.0.1:{port}", "--json")));

    [Fact]
    public async Task A_simulation_stopped_with_SIGTERM_keeps_its_last_round_and_resumes_to_the_uninterrupted_model()
    {
        // Rounds of this size take a few hundredths of a second: 40 of them leave the SIGTERM after
        // round 2 time to land before the run is over.
        string[] run = ["simulate", "--data", _data, "--clients", "3", "--hidden", "16", "--batch", "16", "--partition", "iid", "--seed", "6", "--rounds", "40"];
        var straight = _temp.Combine("straight");
        Assert.Equal(0, Qsi.Run([.. run, "--out", straight, "--json"]).ExitCode);

        var stopped = _temp.Combine("stopped");
        using (var process = QsiProcess.Start([.. run, "--out", stopped]))
        {
            await StopAfter(process, Path.Combine(stopped, "checkpoints", "round-0002.zip"), $"continue with 'qsi simulate --resume {stopped}'");
        }

        var resumed = Qsi.Run("simulate", "--resume", stopped, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.InRange(resumed.Json.GetProperty("resumedFrom").GetInt32(), 2, 39);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.qsim")), File.ReadAllBytes(Path.Combine(stopped, "model.qsim")));
    }
}
