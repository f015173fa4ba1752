using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.Actors.Tests.Transfer;

public sealed class DownloadSpecs : TransferSpec
{
    [Fact]
    public void A_784x784_layer_frame_moves_from_store_to_download_intact()
    {
        var layer = LayerPayload.Mnist784();
        var offer = Publish(Store(), layer.Bytes.ToArray());
        Assert.Equal(layer.Bytes.Length, offer.TotalBytes);
        Assert.Equal(38, offer.ChunkCount);

        Download(offer);

        var completed = ExpectMsg<BlobDownload.Completed>(TimeSpan.FromSeconds(10));
        Assert.Equal(offer, completed.Offer);
        layer.AssertIsCarriedBy(completed.Payload);
    }

    [Fact]
    public void The_download_never_has_more_than_its_window_of_pulls_outstanding()
    {
        const int window = 4;
        var layer = LayerPayload.Mnist784();
        var store = Store();
        var relay = CreateTestProbe("relay");
        var offer = Publish(store, layer.Bytes.ToArray()) with { Store = relay.Ref };
        var download = Download(offer, BlobDownloadOptions.Default.WithWindow(window));

        int outstanding = 0, most = 0, delivered = 0;
        while (delivered < offer.ChunkCount)
        {
            switch (relay.ReceiveOne(TimeSpan.FromSeconds(3)))
            {
                case Blobs.Pull pull:
                    most = Math.Max(most, ++outstanding);
                    Assert.True(outstanding <= window, $"{outstanding} pulls outstanding; the window is {window}");
                    store.Tell(pull, relay.Ref);
                    break;
                case Blobs.Chunk chunk:
                    outstanding--;
                    delivered++;
                    download.Tell(chunk, relay.Ref);
                    break;
                case var other:
                    Assert.Fail($"the relay got {other?.ToString() ?? "nothing"}");
                    break;
            }
        }

        layer.AssertIsCarriedBy(ExpectMsg<BlobDownload.Completed>().Payload);
        Assert.Equal(window, most);
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_unavailable_blob_fails_the_download_with_the_stores_reason()
    {
        var offer = new Blobs.Offer(BlobId.New(), "frame", 100, 10, Store());

        Download(offer);

        var failed = ExpectMsg<BlobDownload.Failed>();
        Assert.Equal(offer, failed.Offer);
        Assert.Contains("unknown: never offered", failed.Reason);
    }

    [Fact]
    public void A_silent_store_is_pulled_again_then_given_up_and_released()
    {
        var store = CreateTestProbe("silent-store");
        var offer = new Blobs.Offer(BlobId.New(), "frame", 100, 10, store.Ref);

        Download(offer, BlobDownloadOptions.Default.WithWindow(3).WithPullTimeout(TimeSpan.FromMilliseconds(150), retries: 1));

        for (var round = 0; round < 2; round++) // the first pulls, then the retry
            Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(_ => store.ExpectMsg<Blobs.Pull>().Index));
        store.ExpectMsg(new Blobs.Release(offer.Id));
        Assert.Contains("no chunk arrived within 0.15 s, 2 times in a row", ExpectMsg<BlobDownload.Failed>().Reason);
        store.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData(0, 9, "chunk 0 has 9 bytes; expected 10")]
    [InlineData(5, 10, "chunk 5 arrived but was not pulled")]
    public void A_bad_chunk_fails_the_download_and_releases_the_blob(int index, int length, string reason)
    {
        var store = CreateTestProbe("store");
        var offer = new Blobs.Offer(BlobId.New(), "frame", 100, 10, store.Ref);
        var download = Download(offer, BlobDownloadOptions.Default.WithWindow(2));
        store.ExpectMsg<Blobs.Pull>();
        store.ExpectMsg<Blobs.Pull>();

        download.Tell(new Blobs.Chunk(offer.Id, index, new byte[length]), store.Ref);

        store.ExpectMsg(new Blobs.Release(offer.Id));
        Assert.EndsWith(reason, ExpectMsg<BlobDownload.Failed>().Reason);
    }

    [Fact]
    public void An_offer_larger_than_accepted_fails_before_anything_is_pulled()
    {
        var store = CreateTestProbe("store");
        var offer = new Blobs.Offer(BlobId.New(), "frame", 2_000, 100, store.Ref);

        Download(offer, BlobDownloadOptions.Default.WithMaxBytes(1_000));

        store.ExpectMsg(new Blobs.Release(offer.Id));
        Assert.Contains("2000 bytes are outside the accepted payload sizes [0, 1000]", ExpectMsg<BlobDownload.Failed>().Reason);
    }

    [Fact]
    public void An_empty_payload_moves_as_one_empty_chunk()
    {
        var offer = Publish(Store(), []);
        Assert.Equal(1, offer.ChunkCount);

        Download(offer);

        Assert.Empty(ExpectMsg<BlobDownload.Completed>().Payload);
    }
}
