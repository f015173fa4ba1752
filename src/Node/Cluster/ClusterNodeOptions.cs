using QSI.Node.Door;

namespace QSI.Node.Cluster;

/// <summary>Where a node listens and how it finds the cluster.</summary>
internal sealed record ClusterNodeOptions
{
    /// <summary>Name of the ActorSystem; every node of one federation uses the same.</summary>
    public string SystemName { get; init; } = "qsi";

    /// <summary>Address the node binds to and announces (loopback by default).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Addresses of seed nodes, e.g. akka.tcp://qsi@127.0.0.1:4053. A node with none seeds a new cluster by joining itself.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>Cluster roles: server, client, verifier.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The node's mutual-TLS door; null for plain TCP (<c>--insecure</c>, or nodes of one test process).</summary>
    public NodeDoor? Door { get; init; }

    /// <summary>The address scheme of the node's transport: akka.ssl.tcp with a door, akka.tcp without.</summary>
    public string Scheme => Door is null ? "akka.tcp" : "akka.ssl.tcp";

    /// <summary>Address of this node as the seed-node syntax writes it.</summary>
    public string Address(int port) => $"{Scheme}://{SystemName}@{Host}:{port}";

    /// <summary>
    /// Fills what the command line left unset from the environment (QSI_HOST, QSI_PORT,
    /// QSI_SEED_NODES comma-separated, QSI_SYSTEM_NAME): flags win over the environment,
    /// which wins over defaults.
    /// </summary>
    public ClusterNodeOptions WithEnvironment(Func<string, string?> variable, bool hostSet, bool portSet, bool seedsSet)
    {
        var result = this;
        if (!hostSet && variable("QSI_HOST") is { Length: > 0 } host) result = result with { Host = host };
        if (!portSet && variable("QSI_PORT") is { Length: > 0 } port)
            result = result with { Port = int.TryParse(port, out var p) && p is >= 0 and <= 65535 ? p : throw new UserError($"QSI_PORT must be a port number 0-65535; got '{port}'") };
        if (!seedsSet && variable("QSI_SEED_NODES") is { Length: > 0 } seeds)
            result = result with { SeedNodes = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
        if (variable("QSI_SYSTEM_NAME") is { Length: > 0 } name) result = result with { SystemName = name };
        return result;
    }
}
