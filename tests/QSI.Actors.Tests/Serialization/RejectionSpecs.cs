using System.Runtime.Serialization;
using FsCheck;
using FsCheck.Xunit;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Serialization;

[Properties(Replay = "472,1003", MaxTest = 300)]
public sealed class RejectionSpecs : SerializerSpec
{
    public static TheoryData<string> Manifests => [.. WireCodecs.All.Select(c => c.Manifest)];

    [Theory, MemberData(nameof(Manifests))]
    public void Every_truncation_of_a_message_is_refused_in_one_line(string manifest)
    {
        var bytes = SampleBytes(manifest);
        for (var length = 0; length < bytes.Length; length++)
            AssertRefused(bytes[..length], manifest);
    }

    [Theory, MemberData(nameof(Manifests))]
    public void A_byte_after_the_end_of_a_message_is_refused(string manifest) =>
        AssertRefused([.. SampleBytes(manifest), 0], manifest);

    [Property]
    public bool Arbitrary_bytes_are_read_as_the_manifests_type_or_refused(byte[] bytes, NonNegativeInt which)
    {
        var codec = WireCodecs.All[which.Get % WireCodecs.All.Count];
        try
        {
            return codec.Type.IsInstanceOfType(Read(bytes ?? [], codec.Manifest));
        }
        catch (SerializationException e)
        {
            return !e.Message.Contains('\n');
        }
    }

    [Fact]
    public void An_unknown_manifest_is_refused() =>
        Assert.Contains("unknown manifest 'blob-offer-9'", AssertRefused([1, 2, 3], "blob-offer-9"));

    [Fact]
    public void Out_of_range_fields_are_refused_with_their_names()
    {
        Assert.Contains("chunk index -1", AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.Int32(-1); }), "blob-pull"));
        Assert.Contains("chunk size 0", AssertRefused(Offer(total: 10, chunkSize: 0), "blob-offer"));
        Assert.Contains("chunk size 65537", AssertRefused(Offer(total: 10, chunkSize: Blobs.MaxChunkSize + 1), "blob-offer"));
        Assert.Contains("total bytes -1", AssertRefused(Offer(total: -1, chunkSize: 16), "blob-offer"));
        Assert.Contains("kind is not valid UTF-8", AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.Int32(2); w.Int64(0xC3_28); }), "blob-offer"));
        Assert.Contains("store 'not a path' is not an actor path",
            AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.String("frame", "kind", 9); w.Int64(1); w.Int32(1); w.String("not a path", "path", 99); }), "blob-offer"));
    }

    [Fact]
    public void Secure_aggregation_fields_out_of_range_are_refused_with_their_names()
    {
        Assert.Contains("share kind 2",
            AssertRefused(Fields(w => { w.Int64(7); w.String("a", "client", 9); w.Int32(1); w.String("b", "client", 9); w.Int32(2); w.Bytes(new byte[52], "share", 256); }), "train-masks-revealed"));
        Assert.Contains("threshold 0", AssertRefused(Fields(w => { w.Int64(7); w.Int32(0); w.Int32(0); }), "train-masking-keys"));
        Assert.Contains("signature", AssertRefused(Fields(w => { w.Int64(7); w.String("a", "client", 9); w.Bytes(new byte[133], "signature", 200); }), "train-survivors-signed"));
    }

    [Fact]
    public void A_task_whose_privacy_has_no_positive_clip_or_a_negative_noise_is_refused()
    {
        var task = new Training.Task(9, 3, Training.TaskKindCode.Fit, 2, 32, 0.1, 0, false, 5400, 2, [new Blobs.Offer(BlobId.New(), "frame", 100, 100, TestActor)], null, Privacy: new QSI.Federation.Privacy.ClientPrivacy(0.5, 0.1));
        var (manifest, bytes) = Write(task);
        foreach (var (at, value) in new[] { (16, 0.0), (16, -0.5), (8, -0.1) })
        {
            var forged = bytes.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(forged.AsSpan(forged.Length - at), value);
            Assert.Contains("the clip must be positive, the std at least 0", AssertRefused(forged, manifest));
        }
    }

    [Fact]
    public void A_length_prefix_beyond_the_payload_is_refused_without_allocating_it()
    {
        Assert.Contains("chunk length 65537", AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.Int32(0); w.Int32(Blobs.MaxChunkSize + 1); }), "blob-chunk"));
        Assert.Contains("chunk length -5", AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.Int32(0); w.Int32(-5); }), "blob-chunk"));
        Assert.Contains("truncated: needs 4000 more bytes, 4 remain",
            AssertRefused(Fields(w => { w.Guid(Guid.NewGuid()); w.Int32(0); w.Int32(4000); w.Int32(0x030201); }), "blob-chunk"));
    }

    [Fact]
    public void What_the_reader_would_refuse_is_refused_at_writing()
    {
        var serializer = SerializerFor(new Blobs.Release(BlobId.New()));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new Blobs.Offer(BlobId.New(), new string('k', 257), 1, 1, TestActor)));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new Blobs.Unavailable(BlobId.New(), "lone \ud800 surrogate")));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new Blobs.Chunk(BlobId.New(), 0, new byte[Blobs.MaxChunkSize + 1])));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new UncodedMessage(1)));
    }

    private byte[] SampleBytes(string manifest)
    {
        var sample = WireSamples.All(TestActor).First(m => WireCodecs.ByType[m.GetType()].Manifest == manifest);
        return Write(sample).Bytes;
    }

    private byte[] Offer(long total, int chunkSize) => Fields(w =>
    {
        w.Guid(Guid.NewGuid());
        w.String("frame", "kind", 16);
        w.Int64(total);
        w.Int32(chunkSize);
        w.ActorRef(TestActor);
    });

    private static byte[] Fields(Action<MessageWriter> write)
    {
        var writer = new MessageWriter();
        write(writer);
        return writer.ToArray();
    }

    private string AssertRefused(byte[] bytes, string manifest)
    {
        var e = Assert.Throws<SerializationException>(() => Read(bytes, manifest));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }
}
