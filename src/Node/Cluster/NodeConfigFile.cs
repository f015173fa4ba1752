using Akka.Configuration;

namespace QSI.Node.Cluster;

/// <summary>
/// A node's <c>--config</c> file: HOCON whose <c>qsi.node { host, port, seed-nodes, system-name, cert, key, ca, insecure }</c>
/// gives defaults for the node flags and whose <c>akka { ... }</c> settings are merged into the
/// node's configuration, ahead of everything else.
/// </summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Hocon">The file's text, to merge into the node's configuration.</param>
/// <param name="Node">The <c>qsi.node</c> section.</param>
internal sealed record NodeConfigFile(string Path, string Hocon, Config Node)
{
    private const string Section = "qsi.node";

    /// <summary>Reads and parses the file.</summary>
    /// <exception cref="UserError">The file is missing or is not HOCON.</exception>
    public static NodeConfigFile Load(string path)
    {
        var (fullPath, text, config) = HoconFile.Load(path);
        return new NodeConfigFile(fullPath, text, config.HasPath(Section) ? config.GetConfig(Section) : Config.Empty);
    }

    /// <summary>Overrides <paramref name="defaults"/> with what the <c>qsi.node</c> section sets.</summary>
    /// <exception cref="UserError">A value of the section has the wrong type or range.</exception>
    public ClusterNodeOptions ApplyTo(ClusterNodeOptions defaults)
    {
        var result = defaults;
        try
        {
            if (Node.HasPath("host")) result = result with { Host = Node.GetString("host") };
            if (Node.HasPath("port"))
            {
                var port = Node.GetInt("port");
                result = result with { Port = port is >= 0 and <= 65535 ? port : throw new UserError($"config file {Path}: {Section}.port must be a port number 0-65535; got {port}") };
            }
            if (Node.HasPath("seed-nodes")) result = result with { SeedNodes = Node.GetStringList("seed-nodes").ToArray() };
            if (Node.HasPath("system-name")) result = result with { SystemName = Node.GetString("system-name") };
        }
        catch (Exception e) when (e is not UserError)
        {
            throw new UserError($"config file {Path}: {Section}: {e.Message}", e);
        }

        return result;
    }

    /// <summary>
    /// The door settings of the <c>qsi.node</c> section: <c>cert</c>, <c>key</c> and <c>ca</c> files
    /// (relative to the config file's folder) and <c>insecure</c>; null where the section is silent.
    /// </summary>
    /// <exception cref="UserError">A value has the wrong type.</exception>
    public DoorSettings Door()
    {
        var folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
        string? File(string key) => Node.HasPath(key) ? System.IO.Path.GetFullPath(Node.GetString(key), folder) : null;
        try
        {
            return new DoorSettings(File("cert"), File("key"), File("ca"), Node.HasPath("insecure") ? Node.GetBoolean("insecure") : null);
        }
        catch (Exception e) when (e is not UserError)
        {
            throw new UserError($"config file {Path}: {Section}: {e.Message}", e);
        }
    }
}

/// <summary>Where a node's certificate, key and cluster CA are, and whether it runs without TLS; null where unset.</summary>
internal sealed record DoorSettings(string? Certificate, string? Key, string? Authority, bool? Insecure)
{
    /// <summary>Each setting of this, else of <paramref name="fallback"/>.</summary>
    public DoorSettings Or(DoorSettings fallback) =>
        new(Certificate ?? fallback.Certificate, Key ?? fallback.Key, Authority ?? fallback.Authority, Insecure ?? fallback.Insecure);
}
