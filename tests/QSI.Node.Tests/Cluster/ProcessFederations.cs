namespace QSI.Node.Tests.Cluster;

/// <summary>
/// The test classes that run whole federations of <c>qsi</c> processes (a server, a verifier and
/// clients, each training). Two of them at once on two cores delay heartbeats past what the
/// failure detector allows, and it downs live nodes; in one collection they run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessFederations
{
    /// <summary>The collection's name.</summary>
    public const string Name = "federations of processes";
}
