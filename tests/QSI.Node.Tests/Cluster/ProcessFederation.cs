namespace QSI.Node.Tests.Cluster;

/// <summary>
/// A small federated training as <c>qsi</c> processes on loopback, for the fault tests: a
/// server (its run folder and port fixed, so that a resumed server takes its place), a verifier
/// and clients, all launched with the arguments kept here. Every node also reads a config file
/// that makes the split-brain resolver down a dead node after 2 s instead of 20 s, and lets a
/// heartbeat be 6 s late instead of 3 s.
/// </summary>
internal sealed class ProcessFederation : IDisposable
{
    private readonly string _data;
    private readonly string _config;
    private readonly string[] _run;
    private readonly int _clients;
    private readonly List<QsiProcess> _started = [];

    /// <summary>
    /// A federation over the data in <paramref name="data"/> of <paramref name="clients"/>
    /// clients, the server's run folder in <paramref name="folder"/>, training with the flags
    /// <paramref name="run"/> (those a simulation of it takes too).
    /// </summary>
    public ProcessFederation(TempDirectory temp, string data, string folder, int clients, params string[] run)
    {
        _data = data;
        _clients = clients;
        _run = run;
        Folder = folder;
        Port = Ports.Free();
        _config = temp.Combine($"node-{Port}.hocon");
        // A loaded machine delays heartbeats: a longer pause keeps live nodes from being found
        // unreachable (and a side of them downed) while the killed ones still are within seconds.
        File.WriteAllText(_config, "akka.cluster.split-brain-resolver.stable-after = 2s\nakka.cluster.failure-detector.acceptable-heartbeat-pause = 6s\n");
    }

    /// <summary>The server's run folder.</summary>
    public string Folder { get; }

    /// <summary>The server's port, the seed node of every other.</summary>
    public int Port { get; }

    /// <summary>The seed node's address.</summary>
    public string Seed => $"akka.ssl.tcp://qsi@127.0.0.1:{Port}";

    /// <summary>The data partition both the clients and a simulation of them use.</summary>
    public static readonly string[] Partition = ["--partition", "iid"];

    /// <summary>Starts the training server with <paramref name="extra"/> flags.</summary>
    public QsiProcess Server(params string[] extra) =>
        Start(["server", "--train", "--data", _data, .. _run, .. extra, "--out", Folder, "--json", .. Node(Port)]);

    /// <summary>Starts a server that resumes the run from its folder, on the same port.</summary>
    public QsiProcess Resume(params string[] extra) => Start(["server", "--train", "--resume", Folder, .. extra, "--json", .. Node(Port)]);

    /// <summary>Starts a verifier, seeded as the run is.</summary>
    public QsiProcess Verifier() => Start(["verifier", "--seed", RunSeed(_run), "--seed-node", Seed, .. Node(0)]);

    /// <summary>Starts client <paramref name="k"/> (client-0K) of the federation.</summary>
    public QsiProcess Client(int k) => Start(["client", "--train", "--data", _data, "--shard", $"{k}/{_clients}", .. Partition,
        "--seed", RunSeed(_run), "--seed-node", Seed, "--json", .. Node(0)]);

    /// <summary>Starts every client.</summary>
    public QsiProcess[] Clients() => [.. Enumerable.Range(0, _clients).Select(Client)];

    /// <summary>Every node's own flags: its port and the config file.</summary>
    private string[] Node(int port) => ["--port", port.ToString(), "--config", _config];

    private static string RunSeed(string[] run) => run[Array.IndexOf(run, "--seed") + 1];

    private QsiProcess Start(string[] args)
    {
        var process = QsiProcess.Start(args);
        _started.Add(process);
        return process;
    }

    /// <summary>The last round the server has checkpointed (0 before the first).</summary>
    public int CheckpointedRound()
    {
        var checkpoints = Path.Combine(Folder, "checkpoints");
        if (!Directory.Exists(checkpoints)) return 0;
        return Directory.GetFiles(checkpoints, "round-*.zip")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f)["round-".Length..], out var r) ? r : 0)
            .DefaultIfEmpty(0).Max();
    }

    /// <summary>Waits until round <paramref name="round"/> or a later one is checkpointed; false on timeout.</summary>
    public async Task<bool> WaitForRound(int round, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CheckpointedRound() < round && DateTime.UtcNow < deadline) await Task.Delay(20);
        return CheckpointedRound() >= round;
    }

    public void Dispose() => _started.ForEach(p => p.Dispose());
}
