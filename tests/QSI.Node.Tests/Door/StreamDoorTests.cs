using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;
using QSI.Actors.Transfer;
using QSI.Actors.Transfer.Streams;
using QSI.Node.Door;
using QSI.Node.Tests.Cluster;

namespace QSI.Node.Tests.Door;

/// <summary>
/// Blob streams behind the door, between two actor systems of this process on 127.0.0.1: each
/// has a node certificate of the test CA and checks its peer's with the door's own validator.
/// An honest receiver gets the exact bytes; a stranger holding a stolen token gets nothing.
/// </summary>
public sealed class StreamDoorTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly List<ActorSystem> _systems = [];

    private static readonly Config Remoting = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        """).WithFallback(QsiSerialization.Config);

    [Fact]
    public async Task A_frame_moves_over_mutual_TLS_between_nodes_of_the_cluster_CA()
    {
        var (server, _) = Node("server", "server,verifier");
        var (client, _) = Node("client", "client");
        var payload = RandomNumberGenerator.GetBytes(2_458_676);
        var offer = await Publish(server, payload);
        var inbox = Inbox.Create(client);

        client.ActorOf(BlobDownload.Props(offer with { Store = Resolve(client, offer.Store, server) }, inbox.Receiver));

        var completed = Assert.IsType<BlobDownload.Completed>(await inbox.ReceiveAsync(Patience));
        Assert.True(payload.AsSpan().SequenceEqual(completed.Payload), "the payload's bytes changed in transit");
        Assert.NotNull(BlobStreams.Get(server).Port);
    }

    [Fact]
    public async Task A_stranger_of_another_CA_with_a_stolen_token_gets_nothing_and_the_door_logs_it()
    {
        var (server, door) = Node("server", "server,verifier");
        var (client, _) = Node("client", "client");
        var ticket = await TicketFor(server, client, RandomNumberGenerator.GetBytes(100_000));
        var now = DateTimeOffset.UtcNow;
        using var otherCa = ClusterAuthority.Create("another CA", now.AddDays(-1), now.AddDays(2));
        using var stranger = ClusterAuthority.Issue(otherCa, "stranger", ["client"], ["127.0.0.1"], now.AddMinutes(-5), now.AddDays(1));

        Assert.Equal(0, await BytesAnsweredTo(stranger, ticket));
        Assert.Equal(1, door.Refused);
    }

    [Fact]
    public async Task A_node_of_the_cluster_CA_on_another_host_with_a_stolen_token_gets_nothing()
    {
        var (server, _) = Node("server", "server,verifier");
        var (client, _) = Node("client", "client");
        var ticket = await TicketFor(server, client, RandomNumberGenerator.GetBytes(100_000));
        var now = DateTimeOffset.UtcNow;
        using var elsewhere = ClusterAuthority.Issue(TestCertificates.Authority, "elsewhere", ["client"], ["127.0.0.5"], now.AddMinutes(-5), now.AddDays(1));

        Assert.Equal(0, await BytesAnsweredTo(elsewhere, ticket));
        Assert.Equal(1, BlobStreams.Get(server).Refused);
    }

    // A system with the blob streams a node of these roles has behind the door, and the door's validator.
    private (ActorSystem System, DoorValidator Door) Node(string name, string roles)
    {
        var now = DateTimeOffset.UtcNow;
        var certificate = ClusterAuthority.Issue(TestCertificates.Authority, name, NodeRoles.Parse(roles), ["127.0.0.1"], now.AddMinutes(-5), now.AddDays(1));
        var door = new NodeDoor(certificate, new ClusterTrust([X509CertificateLoader.LoadCertificate(TestCertificates.Authority.RawData)]));
        var validator = new DoorValidator(door.Trust, new CertifiedPeers(), TimeProvider.System);
        var system = ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(Remoting).And(door.Streams(validator)));
        _systems.Add(system);
        return (system, validator);
    }

    private static async Task<Blobs.Offer> Publish(ActorSystem system, byte[] payload)
    {
        var store = system.ActorOf(BlobStore.Props(), BlobStore.Name);
        return Assert.IsType<BlobStore.Published>(await store.Ask<object>(new BlobStore.Publish(payload, "frame"), Patience)).Offer;
    }

    // A ticket for payload, asked of the server's store by an actor of the client, over the wire.
    private static async Task<Blobs.StreamTicket> TicketFor(ActorSystem server, ActorSystem client, byte[] payload)
    {
        var offer = await Publish(server, payload);
        var inbox = Inbox.Create(client);
        Resolve(client, offer.Store, server).Tell(new Blobs.OpenStream(offer.Id), inbox.Receiver);
        return Assert.IsType<Blobs.StreamTicket>(await inbox.ReceiveAsync(Patience));
    }

    private static IActorRef Resolve(ActorSystem from, IActorRef actor, ActorSystem of) =>
        from.ActorSelection(actor.Path.ToStringWithAddress(((ExtendedActorSystem)of).Provider.DefaultAddress)).ResolveOne(Patience).Result;

    // Connects with mutual TLS showing `certificate`, presents the ticket's token, and counts the bytes that come back.
    private static async Task<int> BytesAnsweredTo(X509Certificate2 certificate, Blobs.StreamTicket ticket)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(ticket.Host, ticket.Port);
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        var received = 0;
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = ticket.Host, ClientCertificates = [certificate] });
            await ssl.WriteAsync((byte[])[.. "QSB1"u8, .. ticket.Token.Span]); // the stream's hello (docs/TRANSPORT.md)
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(Patience);
            int n;
            while ((n = await ssl.ReadAsync(buffer, timeout.Token)) > 0) received += n;
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // The node ended the handshake or the connection: nothing came back.
        }
        return received;
    }

    public void Dispose()
    {
        foreach (var system in _systems) system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
