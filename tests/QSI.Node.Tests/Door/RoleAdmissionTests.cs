using Akka.Actor;
using Akka.Actor.Setup;
using QSI.Actors.Door;
using QSI.Node.Door;

namespace QSI.Node.Tests.Door;

public sealed class RoleAdmissionTests
{
    [Fact]
    public async Task With_a_door_a_member_holds_only_the_roles_its_certificate_names_and_none_while_unseen()
    {
        var peers = new CertifiedPeers();
        var server = Address.Parse("akka.ssl.tcp://qsi@127.0.0.1:4053");
        var client = Address.Parse("akka.ssl.tcp://qsi@127.0.0.3:4100");
        peers.Record(server, new HashSet<string> { "server", "verifier" });
        peers.Record(client, new HashSet<string> { "client" });
        using var system = ActorSystem.Create("door", ActorSystemSetup.Create(BootstrapSetup.Create(), new RoleCertificatesSetup(peers)));
        var admission = RoleAdmission.Get(system);

        Assert.True(admission.HasDoor);
        Assert.True(admission.MayHold(server, "server"));
        Assert.False(admission.MayHold(client, "server"));
        Assert.True(admission.MayHold(client, "client"));
        Assert.False(admission.MayHold(Address.Parse("akka.ssl.tcp://qsi@127.0.0.5:1"), "client"));
        await system.Terminate();
    }

    [Fact]
    public async Task Without_a_door_membership_is_trusted_as_gossip_tells_it()
    {
        using var system = ActorSystem.Create("plain");

        Assert.False(RoleAdmission.Get(system).HasDoor);
        Assert.True(RoleAdmission.Get(system).MayHold(Address.Parse("akka.tcp://qsi@127.0.0.5:1"), "server"));
        await system.Terminate();
    }
}
