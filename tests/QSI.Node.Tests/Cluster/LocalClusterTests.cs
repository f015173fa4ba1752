using System.Text.Json;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// The roles as the product runs them: a server, a verifier and two clients, each its own
/// <c>qsi</c> process behind the mutual-TLS door, on three loopback addresses standing in for
/// three hosts (certificates checked against them), on a synthetic four-class data set in the MNIST format.
/// </summary>
[Collection(ProcessFederations.Name)]
public sealed class LocalClusterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int TestImages = 80;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_server_a_verifier_and_two_sharded_clients_on_three_hosts_behind_the_door_classify_the_test_set_and_the_nodes_stop_on_SIGTERM()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        SyntheticMnist.Write(data, testImages: TestImages);
        var model = _temp.Combine("tiny.qsim");
        var train = Qsi.Run("train", "--hidden", "16", "--epochs", "2", "--batch", "16", "--out", model, "--data", data, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);

        var port = FreePort();
        var seed = $"akka.ssl.tcp://qsi@127.0.0.1:{port}";
        using var server = QsiProcess.Start("server", "--model", model, "--photons", "50", "--port", port.ToString(), "--max-queries", "100");
        using var verifier = QsiProcess.Start("verifier", "--host", "127.0.0.2", "--seed-node", seed);
        Assert.True(await server.WaitForStderr("qsi server: up at " + seed, Patience), server.Stderr);
        using var clients = new DisposableList<QsiProcess>(Enumerable.Range(0, 2).Select(k => QsiProcess.Start(
            "client", "--data", data, "--json", "--shard", $"{k}/2", "--id", $"client-{k}", "--seed", k.ToString(),
            "--queries-per-request", "15", "--host", "127.0.0.3", "--seed-node", seed)));

        foreach (var (client, k) in clients.Select((c, k) => (c, k)))
        {
            Assert.True(await client.WaitForExit(Patience), $"client-{k} did not finish: {client.Stderr}");
            Assert.True(client.ExitCode == 0, client.Stderr);
            using var document = JsonDocument.Parse(client.Stdout);
            var report = document.RootElement;
            Assert.Equal($"client-{k}", report.GetProperty("clientId").GetString());
            Assert.Equal($"{k}/2", report.GetProperty("shard").GetString());
            Assert.Equal(TestImages / 2, report.GetProperty("images").GetInt32());
            Assert.Equal(JsonValueKind.Null, report.GetProperty("digitalAccuracy").ValueKind);
            // Four classes: chance is 25 %.
            Assert.InRange(report.GetProperty("secureAccuracy").GetDouble(), 0.6, 1);
            var v = report.GetProperty("verifier");
            Assert.Equal(TestImages / 2, v.GetProperty("checks").GetInt64());
            Assert.Equal(0, report.GetProperty("rejected").GetInt64());
            // 40 checks at a 1 % false-alarm rate.
            Assert.InRange(v.GetProperty("acceptRate").GetDouble(), 0.85, 1);
            Assert.Equal(1.0, v.GetProperty("expectedExcessNoise").GetDouble(), 12);
            Assert.InRange(v.GetProperty("transmission").GetDouble(), 0.9, 1.1);
            Assert.Equal(50.0, report.GetProperty("photons").GetDouble());
            Assert.Equal(392, report.GetProperty("leakage").GetProperty("modes").GetInt32());
            Assert.True(report.GetProperty("leakage").GetProperty("weightBitsPerWeight").GetDouble() > 0);
            Assert.True(report.GetProperty("imagesPerSecond").GetDouble() > 0);
        }

        verifier.Terminate();
        Assert.True(await verifier.WaitForExit(Patience), "the verifier did not stop on SIGTERM");
        server.Terminate();
        Assert.True(await server.WaitForExit(Patience), "the server did not stop on SIGTERM");
        Assert.Equal((0, 0), (verifier.ExitCode, server.ExitCode));
        Assert.Contains("qsi verifier: up at ", verifier.Stderr);
    }

    [Fact]
    public void A_client_with_no_server_says_so_after_its_join_timeout()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        SyntheticMnist.Write(data, trainImages: 8, testImages: 8);

        var run = Qsi.Run(TestCertificates.WithDoor(["client", "--data", data, "--join-timeout", "1", "--port", "0", "--seed-node", $"akka.ssl.tcp://qsi@127.0.0.1:{FreePort()}"]));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("qsi: error: no server joined the cluster within 1 s", line);
    }

    private static int FreePort() => Ports.Free();
}
