using System.Text;
using FsCheck;
using FsCheck.Xunit;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Serialization;

[Properties(Replay = "471,1001", MaxTest = 200)]
public sealed class RoundTripSpecs : SerializerSpec
{
    [Property]
    public bool An_offer_round_trips(Guid id, NonNull<string> kind, NonNegativeInt total, PositiveInt chunkSize)
    {
        var offer = new Blobs.Offer(new BlobId(id), WellFormed(kind.Get, 80), total.Get, 1 + (chunkSize.Get - 1) % Blobs.MaxChunkSize, TestActor);
        return RoundTrip(offer).Equals(offer);
    }

    [Property]
    public bool A_pull_round_trips(Guid id, NonNegativeInt index)
    {
        var pull = new Blobs.Pull(new BlobId(id), index.Get);
        return RoundTrip(pull).Equals(pull);
    }

    [Property]
    public bool A_chunk_round_trips(Guid id, NonNegativeInt index, NonNull<byte[]> bytes)
    {
        var back = (Blobs.Chunk)RoundTrip(new Blobs.Chunk(new BlobId(id), index.Get, bytes.Get));
        return back.Id == new BlobId(id) && back.Index == index.Get && back.Bytes.Span.SequenceEqual(bytes.Get);
    }

    [Property]
    public bool An_unavailable_round_trips(Guid id, NonNull<string> reason)
    {
        var unavailable = new Blobs.Unavailable(new BlobId(id), WellFormed(reason.Get, 300));
        return RoundTrip(unavailable).Equals(unavailable);
    }

    [Property]
    public bool A_release_round_trips(Guid id)
    {
        var release = new Blobs.Release(new BlobId(id));
        return RoundTrip(release).Equals(release);
    }

    [Fact]
    public void A_full_chunk_of_64_KiB_round_trips_and_fits_a_remote_frame()
    {
        var bytes = new byte[Blobs.MaxChunkSize];
        new Random(5).NextBytes(bytes);
        var (manifest, written) = Write(new Blobs.Chunk(BlobId.New(), 37, bytes));
        var back = (Blobs.Chunk)Read(written, manifest);
        Assert.True(back.Bytes.Span.SequenceEqual(bytes));
        Assert.InRange(written.Length, Blobs.MaxChunkSize, Blobs.MaxChunkSize + 64);
    }

    [Fact]
    public void Every_wire_message_is_carried_by_the_qsi_serializer_under_its_own_manifest()
    {
        object[] samples =
        [
            new Blobs.Offer(BlobId.New(), "frame", 10, 4, TestActor), new Blobs.Pull(BlobId.New(), 0),
            new Blobs.Chunk(BlobId.New(), 0, new byte[] { 1 }), new Blobs.Unavailable(BlobId.New(), "gone"), new Blobs.Release(BlobId.New()),
        ];
        Assert.All(samples, m => Assert.IsType<QsiSerializer>(SerializerFor(m)));
        Assert.Equal(
            ["blob-offer", "blob-pull", "blob-chunk", "blob-unavailable", "blob-release"],
            samples.Select(m => Write(m).Manifest));
    }

    /// <summary>The string as UTF-8 can carry it (lone surrogates replaced), at most <paramref name="chars"/> long.</summary>
    private static string WellFormed(string text, int chars) =>
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text[..Math.Min(text.Length, chars)]));
}
