using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.Actors.Tests.Transfer;

public sealed class StoreSpecs : TransferSpec
{
    private static readonly BlobStoreOptions SmallChunks = BlobStoreOptions.Default.WithChunkSize(16);

    [Fact]
    public void Pulls_are_answered_with_the_chunks_of_the_payload()
    {
        var payload = RandomBytes(40);
        var offer = Publish(Store(SmallChunks), payload);
        Assert.Equal((40L, 16, 3), (offer.TotalBytes, offer.ChunkSize, offer.ChunkCount));

        var chunks = Enumerable.Range(0, 3).Select(k => Pull(offer, k)).ToArray();

        Assert.Equal([16, 16, 8], chunks.Select(c => c.Bytes.Length));
        Assert.Equal(payload, chunks.SelectMany(c => c.Bytes.ToArray()));
    }

    [Fact]
    public void A_fully_pulled_blob_is_dropped()
    {
        var offer = Publish(Store(SmallChunks), RandomBytes(40));
        for (var k = 0; k < 3; k++) Pull(offer, k);

        Assert.StartsWith("unknown", PullRefused(offer, 0));
    }

    [Fact]
    public void A_released_blob_is_dropped()
    {
        var offer = Publish(Store(SmallChunks), RandomBytes(40));

        offer.Store.Tell(new Blobs.Release(offer.Id));

        Assert.StartsWith("unknown", PullRefused(offer, 0));
    }

    [Fact]
    public void A_blob_goes_only_to_its_allowed_puller()
    {
        var puller = CreateTestProbe("puller");
        var offer = Publish(Store(SmallChunks), RandomBytes(40), allowedPuller: puller.Ref);

        Assert.Equal("offered to another receiver", PullRefused(offer, 0));
        offer.Store.Tell(new Blobs.Pull(offer.Id, 0), puller.Ref);
        puller.ExpectMsg<Blobs.Chunk>();
    }

    [Fact]
    public void A_blob_is_dropped_when_its_puller_terminates()
    {
        var puller = CreateTestProbe("puller");
        var offer = Publish(Store(SmallChunks), RandomBytes(40), allowedPuller: puller.Ref);
        offer.Store.Tell(new Blobs.Pull(offer.Id, 0), puller.Ref);
        puller.ExpectMsg<Blobs.Chunk>();

        Watch(puller.Ref);
        puller.Ref.Tell(PoisonPill.Instance);
        ExpectTerminated(puller.Ref);

        AwaitAssert(() => Assert.StartsWith("unknown", PullRefused(offer, 1)), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_blob_nobody_pulls_is_dropped_when_its_time_to_live_runs_out()
    {
        var offer = Publish(Store(SmallChunks.WithTimeToLive(TimeSpan.FromMilliseconds(200))), RandomBytes(40));
        var other = CreateTestProbe("other");
        offer.Store.Tell(new Blobs.Pull(offer.Id, 0), other.Ref);
        other.ExpectMsg<Blobs.Chunk>();

        AwaitAssert(() =>
        {
            offer.Store.Tell(new Blobs.Pull(offer.Id, 1), other.Ref);
            Assert.StartsWith("unknown", other.ExpectMsg<Blobs.Unavailable>().Reason);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_chunk_beyond_the_payload_is_unavailable()
    {
        var offer = Publish(Store(SmallChunks), RandomBytes(40));

        Assert.Equal("chunk 3 does not exist; the payload has 3", PullRefused(offer, 3));
    }

    [Fact]
    public void A_publish_beyond_the_capacity_is_refused()
    {
        var store = Store(SmallChunks.WithCapacity(100));
        Publish(store, RandomBytes(60));

        store.Tell(new BlobStore.Publish(RandomBytes(60), "frame"), TestActor);

        Assert.Equal("the store holds 60 of 100 bytes; 60 more do not fit", ExpectMsg<BlobStore.Refused>().Reason);
    }

    private Blobs.Chunk Pull(Blobs.Offer offer, int index)
    {
        offer.Store.Tell(new Blobs.Pull(offer.Id, index), TestActor);
        var chunk = ExpectMsg<Blobs.Chunk>();
        Assert.Equal((offer.Id, index), (chunk.Id, chunk.Index));
        return chunk;
    }

    private string PullRefused(Blobs.Offer offer, int index)
    {
        offer.Store.Tell(new Blobs.Pull(offer.Id, index), TestActor);
        var unavailable = ExpectMsg<Blobs.Unavailable>();
        Assert.Equal(offer.Id, unavailable.Id);
        return unavailable.Reason;
    }
}
