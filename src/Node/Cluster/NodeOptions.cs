using System.CommandLine;
using System.Globalization;
using QSI.Node.Door;

namespace QSI.Node.Cluster;

/// <summary>
/// The flags every role command shares to place its node in the cluster: <c>--host</c>,
/// <c>--port</c>, <c>--seed-node</c>, <c>--config</c>, and the door's <c>--cert</c>, <c>--key</c>,
/// <c>--ca</c> and <c>--insecure</c>. Each setting comes from the flag, else the environment
/// (QSI_HOST, QSI_PORT, QSI_SEED_NODES, QSI_CERT, QSI_KEY, QSI_CA, QSI_INSECURE), else the config
/// file, else the default. A node runs mutual TLS unless told <c>--insecure</c>.
/// </summary>
internal sealed class NodeOptions
{
    private readonly int _defaultPort;
    private readonly int? _defaultSeedPort;

    private readonly Option<string?> _host = new("--host")
    {
        Description = "Address this node binds to and announces to the cluster (default: 127.0.0.1, or QSI_HOST).",
        HelpName = "HOST",
    };

    private readonly Option<int?> _port = new("--port")
    {
        Description = "TCP port of this node; 0 picks a free one (or QSI_PORT).",
        HelpName = "PORT",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535) return port;
            result.AddError($"--port must be a port number 0-65535; got '{text}'");
            return null;
        },
    };

    private readonly Option<string[]> _seedNodes = new("--seed-node")
    {
        Description = "Address of a node to join through, e.g. akka.tcp://qsi@127.0.0.1:4053; repeat for several "
            + "(or QSI_SEED_NODES, comma-separated). A node with none founds a new cluster.",
        Arity = ArgumentArity.ZeroOrMore,
        HelpName = "ADDRESS",
    };

    private readonly Option<string?> _config = new("--config")
    {
        Description = "HOCON file: 'qsi.node { host, port, seed-nodes = [...] }' for defaults of the flags above, "
            + "and any 'akka { ... }' settings for the node (cluster-config/README.md).",
        HelpName = "FILE",
    };

    private readonly Option<string?> _cert = new("--cert")
    {
        Description = "This node's certificate (PEM), issued by 'qsi certs issue' for its roles and host (or QSI_CERT, or qsi.node.cert).",
        HelpName = "FILE",
    };

    private readonly Option<string?> _key = new("--key")
    {
        Description = "Private key of --cert (PEM; or QSI_KEY, or qsi.node.key). Default: the --cert file with the extension .key.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _ca = new("--ca")
    {
        Description = "The cluster CA certificate (PEM, ca.crt of 'qsi certs init'; several concatenated while a CA is rotated). "
            + "Only peers with a certificate of it get in (or QSI_CA, or qsi.node.ca).",
        HelpName = "FILE",
    };

    private readonly Option<bool> _insecure = new("--insecure")
    {
        Description = "Plain TCP without TLS: any process that reaches the port can join as any role. Only for a trusted network "
            + "(or QSI_INSECURE=1, or qsi.node.insecure = on).",
    };

    /// <summary>
    /// The flags, for a node whose port defaults to <paramref name="defaultPort"/>. With
    /// <paramref name="defaultSeedPort"/>, a node given no seed joins through that port on its own
    /// host (where a server listens by default); without, it founds a new cluster.
    /// </summary>
    public NodeOptions(int defaultPort, int? defaultSeedPort = null)
    {
        _defaultPort = defaultPort;
        _defaultSeedPort = defaultSeedPort;
        _port.Description += $" Default {defaultPort}.";
        _seedNodes.Description += defaultSeedPort is { } seedPort
            ? $" Default: akka.ssl.tcp://qsi@HOST:{seedPort} (akka.tcp with --insecure), a server on this node's host."
            : " Default: none.";
        _seedNodes.Description += " akka.tcp:// and akka.ssl.tcp:// name the same node; it is dialled with this node's transport.";
    }

    /// <summary>The options to add to a command.</summary>
    public IEnumerable<Option> All => [_host, _port, _seedNodes, _config, _cert, _key, _ca, _insecure];

    /// <summary>
    /// Where the node listens and whom it joins, with <paramref name="roles"/>, and the config
    /// file's text to merge into the node's configuration (null without <c>--config</c>).
    /// </summary>
    /// <exception cref="UserError">The config file, an environment variable or a seed address is wrong.</exception>
    public (ClusterNodeOptions Options, string? Hocon) Resolve(ParseResult parse, Func<string, string?> environment, params string[] roles)
    {
        var file = parse.GetValue(_config) is { } path ? NodeConfigFile.Load(path) : null;
        var options = new ClusterNodeOptions { Port = _defaultPort, Roles = roles };
        if (file is not null) options = file.ApplyTo(options);

        var host = parse.GetValue(_host);
        var port = parse.GetValue(_port);
        var seeds = parse.GetValue(_seedNodes) ?? [];
        options = options.WithEnvironment(environment, hostSet: host is not null, portSet: port is not null, seedsSet: seeds.Length > 0);
        if (host is not null) options = options with { Host = host };
        if (port is { } p) options = options with { Port = p };
        if (seeds.Length > 0) options = options with { SeedNodes = seeds };
        foreach (var seed in options.SeedNodes) CheckSeed(seed, options.SystemName);
        options = options with { Door = Door(parse, environment, file, options.Host, roles) };
        if (options.SeedNodes.Count == 0 && _defaultSeedPort is { } seedPort) options = options with { SeedNodes = [options.Address(seedPort)] };

        return (options with { SeedNodes = options.SeedNodes.Select(seed => WithScheme(seed, options.Scheme)).ToArray() }, file?.Hocon);
    }

    // The door's files: flags, else environment, else config file; no certificate is an error unless --insecure.
    private NodeDoor? Door(ParseResult parse, Func<string, string?> environment, NodeConfigFile? file, string host, string[] roles)
    {
        var flags = new DoorSettings(parse.GetValue(_cert), parse.GetValue(_key), parse.GetValue(_ca), parse.GetValue(_insecure) ? true : null);
        var fromEnvironment = new DoorSettings(Set(environment("QSI_CERT")), Set(environment("QSI_KEY")), Set(environment("QSI_CA")),
            Set(environment("QSI_INSECURE")) is { } insecure ? Truth(insecure) : null);
        var settings = flags.Or(fromEnvironment).Or(file?.Door() ?? new DoorSettings(null, null, null, null));
        if (settings.Insecure == true) return null;
        if (settings.Certificate is null || settings.Authority is null)
        {
            throw new UserError($"this node has no {(settings.Certificate is null ? "certificate" : "cluster CA")}: give --cert FILE and --ca FILE "
                + "(make them with 'qsi certs init' and 'qsi certs issue', docs/OPERATIONS.md), or --insecure for plain TCP");
        }

        return NodeDoor.Load(settings.Certificate, settings.Key ?? NodeCertificateFiles.KeyBeside(settings.Certificate), settings.Authority,
            host, roles, DateTime.UtcNow);
    }

    private static string? Set(string? value) => value is { Length: > 0 } ? value : null;

    private static bool Truth(string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "on" or "yes" => true,
        "0" or "false" or "off" or "no" => false,
        _ => throw new UserError($"QSI_INSECURE must be 1 or 0 (true/false, on/off); got '{value}'"),
    };

    // A seed is dialled with the node's own transport: akka.tcp and akka.ssl.tcp name the same node.
    private static string WithScheme(string seed, string scheme)
    {
        var at = seed.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && seed[..at] is "akka.tcp" or "akka.ssl.tcp" ? scheme + seed[at..] : seed;
    }

    // A seed of another system name is never joined, silently; say so at once.
    private static void CheckSeed(string seed, string systemName)
    {
        Akka.Actor.Address address;
        try
        {
            address = Akka.Actor.Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new UserError($"seed node '{seed}' is not a node address like akka.tcp://{systemName}@127.0.0.1:4053");
        }

        if (address.Host is null || address.Port is null)
        {
            throw new UserError($"seed node '{seed}' has no host and port; write it like akka.tcp://{systemName}@127.0.0.1:4053");
        }

        if (address.System != systemName)
        {
            throw new UserError($"seed node '{seed}' is of system '{address.System}', but this node is of '{systemName}'");
        }
    }
}
