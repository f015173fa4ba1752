namespace QSI.Node.Cluster;

/// <summary>The HOCON of cluster-config/qsi.hocon, shipped beside the executable.</summary>
internal static class ClusterConfig
{
    private const string FileName = "qsi.hocon";

    /// <summary>Settings shared by every node.</summary>
    public static string Base { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, FileName));
}
