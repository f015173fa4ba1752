namespace QSI.Node.Cluster;

/// <summary>
/// The HOCON of cluster-config/qsi.hocon, embedded in the assembly: a node finds it whether it
/// runs from the build output or as an installed .NET tool.
/// </summary>
internal static class ClusterConfig
{
    private const string ResourceName = "qsi.hocon";

    /// <summary>Settings shared by every node.</summary>
    public static string Base { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(ClusterConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
