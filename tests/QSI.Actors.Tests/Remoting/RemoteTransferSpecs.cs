using System.Diagnostics;
using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using Xunit.Abstractions;

namespace QSI.Actors.Tests.Remoting;

public sealed class RemoteTransferSpecs(ITestOutputHelper output) : RemoteSpec(output)
{
    [Fact]
    public void A_layer_frame_moves_between_two_systems_over_a_blob_stream_with_remoting_at_its_defaults()
    {
        Assert.Equal(128_000, SystemB.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        var layer = LayerPayload.Mnist784();
        Assert.True(layer.Bytes.Length > 19 * 128_000, "the frame is many times the remote frame limit");
        var unexpected = AssociationWatch(Sys);

        var store = Sys.ActorOf(BlobStore.Props(), BlobStore.Name);
        store.Tell(new BlobStore.Publish(layer.Bytes.ToArray(), "frame"), TestActor);
        var offer = ExpectMsg<BlobStore.Published>().Offer;
        var client = CreateTestProbe(SystemB, "client");
        FromA(client.Ref).Tell(offer);

        var received = client.ExpectMsg<Blobs.Offer>();
        Assert.Equal(offer with { Store = received.Store }, received);
        Assert.Equal(AddressOf(Sys), received.Store.Path.Address);

        var clock = Stopwatch.StartNew();
        SystemB.ActorOf(BlobDownload.Props(received, client.Ref), BlobDownload.NameFor(received.Id));
        var completed = client.ExpectMsg<BlobDownload.Completed>(TimeSpan.FromSeconds(20));
        Output.WriteLine($"{layer.Bytes.Length:N0} bytes in one blob stream over TCP in {clock.ElapsedMilliseconds} ms");

        layer.AssertIsCarriedBy(completed.Payload);
        Assert.NotNull(QSI.Actors.Transfer.Streams.BlobStreams.Get(Sys).Port);
        unexpected.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
