using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using System.Runtime.Serialization;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;
using QSI.Node.Cluster;

namespace QSI.Node.Tests.Cluster;

public class ClusterNodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Server_verifier_and_client_nodes_form_one_cluster_on_loopback_and_a_stopped_node_leaves_it()
    {
        var seed = ClusterNode.Build(new ClusterNodeOptions { Roles = ["server"], SystemName = "qsi-test" }, _ => { });
        await seed.StartAsync();
        var seedCluster = Akka.Cluster.Cluster.Get(ClusterNode.System(seed));
        // Every node carries the wire messages with the strict serializer and refuses unbound types.
        var serialization = ClusterNode.System(seed).Serialization;
        Assert.IsType<QsiSerializer>(serialization.FindSerializerForType(typeof(Serving.RequestFrames)));
        Assert.Throws<SerializationException>(() => serialization.FindSerializerForType(typeof(NotBound)));
        var seedAddress = seedCluster.SelfAddress.ToString();
        var others = new[] { "verifier", "client" }
            .Select(role => ClusterNode.Build(new ClusterNodeOptions { Roles = [role], SystemName = "qsi-test", SeedNodes = [seedAddress] }, _ => { }))
            .ToArray();
        try
        {
            foreach (var node in others) await node.StartAsync();
            await Eventually(() => seedCluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 3);
            var roles = seedCluster.State.Members.SelectMany(m => m.Roles).Order().ToArray();
            Assert.Equal(["client", "server", "verifier"], roles);

            await others[1].StopAsync();
            await Eventually(() => seedCluster.State.Members.All(m => !m.Roles.Contains("client")));
            Assert.Equal(2, seedCluster.State.Members.Count);
        }
        finally
        {
            foreach (var node in others) { await node.StopAsync(); node.Dispose(); }
            await seed.StopAsync();
            seed.Dispose();
        }
    }

    [Fact]
    public void Flags_win_over_the_environment_which_wins_over_defaults()
    {
        var environment = new Dictionary<string, string> { ["QSI_HOST"] = "127.0.0.2", ["QSI_PORT"] = "4100", ["QSI_SEED_NODES"] = "akka.tcp://qsi@127.0.0.1:4053, akka.tcp://qsi@127.0.0.1:4054" };
        var fromEnvironment = new ClusterNodeOptions().WithEnvironment(environment.GetValueOrDefault, hostSet: false, portSet: false, seedsSet: false);
        Assert.Equal(("127.0.0.2", 4100, 2), (fromEnvironment.Host, fromEnvironment.Port, fromEnvironment.SeedNodes.Count));

        var flagsWin = new ClusterNodeOptions { Port = 5000 }.WithEnvironment(environment.GetValueOrDefault, hostSet: false, portSet: true, seedsSet: true);
        Assert.Equal((5000, 0), (flagsWin.Port, flagsWin.SeedNodes.Count));

        var error = Assert.Throws<UserError>(() => new ClusterNodeOptions().WithEnvironment(_ => "x", false, false, false));
        Assert.Contains("QSI_PORT", error.Message);
    }

    private sealed record NotBound(int Value);

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the cluster did not reach the expected state in time");
            await Task.Delay(100);
        }
    }
}
