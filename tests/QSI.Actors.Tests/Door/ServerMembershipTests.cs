using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using QSI.Actors.Conversation;
using QSI.Actors.Door;

namespace QSI.Actors.Tests.Door;

/// <summary>
/// An up member of role "server" is a server to a node with a door only when its certificate
/// names the role: two in-process cluster nodes, one that claims the role, and the roles the
/// first node's door saw in its certificate.
/// </summary>
public sealed class ServerMembershipTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class SeenCertificates : IRoleCertificates
    {
        public IReadOnlySet<string>? Roles { get; set; }

        public IReadOnlySet<string>? RolesOf(Address member) => Roles;
    }

    private static Config Node(string role) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.roles = [{{role}}]
        akka.loglevel = WARNING
        """);

    [Fact]
    public async Task A_member_claiming_the_server_role_is_a_server_only_if_its_certificate_names_the_role()
    {
        var seen = new SeenCertificates();
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(Node("verifier")), new RoleCertificatesSetup(seen));
        using var verifier = ActorSystem.Create("qsi", setup);
        using var claimant = ActorSystem.Create("qsi", Node("server"));
        try
        {
            var cluster = Cluster.Get(verifier);
            cluster.Join(cluster.SelfAddress);
            Cluster.Get(claimant).Join(cluster.SelfAddress);
            var address = Cluster.Get(claimant).SelfAddress;
            await Eventually(() => cluster.State.Members.Any(m => m.Address.Equals(address) && m.Status == MemberStatus.Up && m.HasRole("server")));
            claimant.ActorOf(Props.Empty, "orders");
            var sender = await verifier.ActorSelection(new RootActorPath(address) / "user" / "orders").ResolveOne(Patience);

            Assert.False(ServerMembership.IsServer(verifier, sender));
            seen.Roles = new HashSet<string> { "client" };
            Assert.False(ServerMembership.IsServer(verifier, sender));
            seen.Roles = new HashSet<string> { "server" };
            Assert.True(ServerMembership.IsServer(verifier, sender));
        }
        finally
        {
            await Task.WhenAll(claimant.Terminate(), verifier.Terminate());
        }
    }

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
