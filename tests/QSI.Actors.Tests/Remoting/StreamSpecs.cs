using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Actors.Transfer.Streams;
using Xunit.Abstractions;

namespace QSI.Actors.Tests.Remoting;

/// <summary>
/// The blob streams between two actor systems over loopback TCP, read as an attacker would use
/// them: a ticket lets its one payload through once; a wrong, replayed or expired token gets
/// nothing and is logged once; a stream that ends early fails the download with a reason.
/// </summary>
public sealed class StreamSpecs(ITestOutputHelper output) : RemoteSpec(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_ticket_lets_its_payload_through_once_and_a_wrong_or_replayed_token_gets_nothing()
    {
        var payload = RandomNumberGenerator.GetBytes(300_000);
        var (ticket, _) = TicketFor(payload);

        await EventFilter.Warning(contains: "its token is unknown, already used or revoked").ExpectAsync(1, async () =>
            Assert.Empty(await StreamPeer.PresentAsync(ticket, RandomNumberGenerator.GetBytes(Blobs.TokenBytes))));

        var answer = await StreamPeer.PresentAsync(ticket, ticket.Token);
        Assert.Equal(StreamWire.HeaderBytes + payload.Length, answer.Length);
        Assert.Equal((ticket.Id, (long)payload.Length), StreamWire.ReadHeader(answer));
        Assert.True(payload.AsSpan().SequenceEqual(answer.AsSpan(StreamWire.HeaderBytes)), "the streamed bytes differ from the payload");

        await EventFilter.Warning(contains: "its token is unknown, already used or revoked").ExpectAsync(1, async () =>
            Assert.Empty(await StreamPeer.PresentAsync(ticket, ticket.Token)));
        Assert.Equal(2, BlobStreams.Get(Sys).Refused);
    }

    [Fact]
    public async Task A_connection_that_does_not_speak_the_protocol_gets_nothing_and_is_logged_once()
    {
        var (ticket, _) = TicketFor(RandomNumberGenerator.GetBytes(1_000));
        using var client = new TcpClient();
        await EventFilter.Warning(contains: "does not speak the blob stream protocol").ExpectAsync(1, async () =>
        {
            await client.ConnectAsync(ticket.Host, ticket.Port);
            var stream = client.GetStream();
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            Assert.Equal(0, await stream.ReadAsync(new byte[16]));
        });
    }

    [Fact]
    public async Task An_expired_token_gets_nothing()
    {
        var clock = new ManualClock();
        using var system = ActorSystem.Create("c", BootstrapSetup.Create().WithConfig(Remoting.WithFallback(DefaultConfig))
            .And(new BlobStreamSetup(null, BlobStreamOptions.Default.WithTicketLifetime(TimeSpan.FromSeconds(30)), clock)));
        var (ticket, _) = TicketFor(RandomNumberGenerator.GetBytes(1_000), system);
        clock.Now += TimeSpan.FromSeconds(31);

        await CreateEventFilter(system).Warning(contains: "its token expired").ExpectAsync(1, async () =>
            Assert.Empty(await StreamPeer.PresentAsync(ticket, ticket.Token)));
        await system.Terminate();
    }

    [Fact]
    public void A_receiver_in_another_process_pulls_no_chunks()
    {
        var store = Sys.ActorOf(BlobStore.Props(), BlobStore.Name);
        store.Tell(new BlobStore.Publish(new byte[10], "frame"), TestActor);
        var offer = ExpectMsg<BlobStore.Published>().Offer;
        var probe = CreateTestProbe(SystemB);
        Remote(store, Sys, SystemB).Tell(new Blobs.Pull(offer.Id, 0), probe.Ref);
        Assert.Contains("another process asks for a stream", probe.ExpectMsg<Blobs.Unavailable>(Patience).Reason);
    }

    [Fact]
    public async Task A_stream_that_ends_early_fails_the_download_with_a_reason()
    {
        // A store of "a" that answers with a ticket to a listener sending half the payload, then closing.
        var id = BlobId.New();
        const int total = 200_000;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var hello = new byte[StreamWire.HelloBytes];
            await socket.ReceiveAsync(hello);
            await socket.SendAsync(StreamWire.Header(id, total));
            await socket.SendAsync(new byte[total / 2]);
        });
        var fakeStore = CreateTestProbe(Sys);
        var offer = new Blobs.Offer(id, "frame", total, Blobs.MaxChunkSize, Remote(fakeStore.Ref, Sys, SystemB));
        var requester = CreateTestProbe(SystemB);

        SystemB.ActorOf(BlobDownload.Props(offer, requester.Ref), BlobDownload.NameFor(id));
        fakeStore.ExpectMsg<Blobs.OpenStream>(Patience);
        fakeStore.Reply(new Blobs.StreamTicket(id, "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, RandomNumberGenerator.GetBytes(Blobs.TokenBytes)));

        var failed = requester.ExpectMsg<BlobDownload.Failed>(Patience);
        Assert.Contains($"the stream ended after {total / 2} of {total} bytes", failed.Reason);
        fakeStore.ExpectMsg<Blobs.Release>(Patience);
        await serving;
    }

    [Fact]
    public void A_ticket_naming_another_host_than_the_stores_is_not_followed()
    {
        var id = BlobId.New();
        var fakeStore = CreateTestProbe(Sys);
        var offer = new Blobs.Offer(id, "frame", 10, Blobs.MaxChunkSize, Remote(fakeStore.Ref, Sys, SystemB));
        var requester = CreateTestProbe(SystemB);

        SystemB.ActorOf(BlobDownload.Props(offer, requester.Ref), BlobDownload.NameFor(id));
        fakeStore.ExpectMsg<Blobs.OpenStream>(Patience);
        fakeStore.Reply(new Blobs.StreamTicket(id, "127.0.0.9", 9, RandomNumberGenerator.GetBytes(Blobs.TokenBytes)));

        Assert.Contains("the ticket names host 127.0.0.9, not 127.0.0.1 where the store is", requester.ExpectMsg<BlobDownload.Failed>(Patience).Reason);
    }

    // A ticket for payload, asked of a store of `system` by a probe of "b", over the wire.
    private (Blobs.StreamTicket Ticket, IActorRef Store) TicketFor(byte[] payload, ActorSystem? system = null)
    {
        system ??= Sys;
        var store = system.ActorOf(BlobStore.Props(), BlobStore.Name);
        var publisher = CreateTestProbe(system);
        store.Tell(new BlobStore.Publish(payload, "frame"), publisher.Ref);
        var offer = publisher.ExpectMsg<BlobStore.Published>().Offer;
        var receiver = CreateTestProbe(SystemB);
        Remote(store, system, SystemB).Tell(new Blobs.OpenStream(offer.Id), receiver.Ref);
        var ticket = receiver.ExpectMsg<Blobs.StreamTicket>(Patience);
        Assert.Equal(("127.0.0.1", Blobs.TokenBytes), (ticket.Host, ticket.Token.Length));
        return (ticket, store);
    }

    // The reference `to` holds to `actor` of `from`, resolved over the wire.
    private static IActorRef Remote(IActorRef actor, ActorSystem from, ActorSystem to) =>
        to.ActorSelection(actor.Path.ToStringWithAddress(AddressOf(from))).ResolveOne(Patience).Result;
}
