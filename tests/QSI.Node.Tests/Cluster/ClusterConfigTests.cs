using Akka.Configuration;
using QSI.Node.Cluster;

namespace QSI.Node.Tests.Cluster;

/// <summary>The node's HOCON travels inside the assembly, so an installed tool has it wherever it runs.</summary>
public sealed class ClusterConfigTests
{
    [Fact]
    public void The_embedded_settings_are_the_repository_file_and_parse()
    {
        var repositoryFile = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../cluster-config/qsi.hocon"));
        Assert.Equal(File.ReadAllText(repositoryFile), ClusterConfig.Base);
        Assert.Equal("WARNING", ConfigurationFactory.ParseString(ClusterConfig.Base).GetString("akka.loglevel"));
    }
}
