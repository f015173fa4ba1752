using QSI.Actors.Messages;

namespace QSI.Actors.Serialization;

/// <summary>Codecs of the <see cref="Blobs"/> conversation.</summary>
internal static class BlobCodecs
{
    private const int MaxKindBytes = 256;
    private const int MaxReasonBytes = 1024;
    private const int MaxHostBytes = 253;

    /// <summary>The codec of every <see cref="Blobs"/> message.</summary>
    public static IEnumerable<WireCodec> All =>
    [
        WireCodec.For<Blobs.Offer>("blob-offer", WriteOffer, ReadOffer),
        WireCodec.For<Blobs.Pull>("blob-pull",
            (w, m) => { Id(w, m.Id); w.Int32(m.Index); },
            (ref r) => new Blobs.Pull(Id(ref r), Index(ref r))),
        WireCodec.For<Blobs.Chunk>("blob-chunk",
            (w, m) => { Id(w, m.Id); w.Int32(m.Index); w.Bytes(m.Bytes.Span, "chunk", Blobs.MaxChunkSize); },
            (ref r) => new Blobs.Chunk(Id(ref r), Index(ref r), r.Bytes("chunk", Blobs.MaxChunkSize)),
            m => 24 + m.Bytes.Length),
        WireCodec.For<Blobs.Unavailable>("blob-unavailable",
            (w, m) => { Id(w, m.Id); w.String(m.Reason, "reason", MaxReasonBytes); },
            (ref r) => new Blobs.Unavailable(Id(ref r), r.String("reason", MaxReasonBytes))),
        WireCodec.For<Blobs.OpenStream>("blob-open-stream",
            (w, m) => Id(w, m.Id),
            (ref r) => new Blobs.OpenStream(Id(ref r))),
        WireCodec.For<Blobs.StreamTicket>("blob-stream-ticket",
            (w, m) =>
            {
                Id(w, m.Id);
                if (m.Host.Length == 0) throw new ArgumentException("host is empty", nameof(m));
                w.String(m.Host, "host", MaxHostBytes);
                if (m.Port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(m), m.Port, "port is out of range [1, 65535]");
                w.Int32(m.Port);
                if (m.Token.Length != Blobs.TokenBytes) throw new ArgumentException($"token has {m.Token.Length} bytes; expected {Blobs.TokenBytes}", nameof(m));
                w.Bytes(m.Token.Span, "token", Blobs.TokenBytes);
            },
            ReadTicket),
        WireCodec.For<Blobs.Release>("blob-release",
            (w, m) => Id(w, m.Id),
            (ref r) => new Blobs.Release(Id(ref r))),
    ];

    /// <summary>Writes an offer's fields (also inside other messages).</summary>
    public static void WriteOffer(MessageWriter w, Blobs.Offer m)
    {
        Id(w, m.Id);
        w.String(m.Kind, "kind", MaxKindBytes);
        w.Int64(m.TotalBytes);
        w.Int32(m.ChunkSize);
        w.ActorRef(m.Store);
    }

    /// <summary>Reads an offer's fields (also inside other messages).</summary>
    public static Blobs.Offer ReadOffer(ref MessageReader r)
    {
        var id = Id(ref r);
        var kind = r.String("kind", MaxKindBytes);
        var total = r.Int64("total bytes", 0, Array.MaxLength);
        var chunkSize = r.Int32("chunk size", 1, Blobs.MaxChunkSize);
        var store = r.ActorRef("store");
        return new Blobs.Offer(id, kind, total, chunkSize, store);
    }

    private static Blobs.StreamTicket ReadTicket(ref MessageReader r)
    {
        var id = Id(ref r);
        var host = r.String("host", MaxHostBytes);
        if (host.Length == 0) throw r.Malformed("host is empty");
        var port = r.Int32("port", 1, 65535);
        var token = r.Bytes("token", Blobs.TokenBytes);
        if (token.Length != Blobs.TokenBytes) throw r.Malformed($"token has {token.Length} bytes; expected {Blobs.TokenBytes}");
        return new Blobs.StreamTicket(id, host, port, token);
    }

    private static void Id(MessageWriter w, BlobId id) => w.Guid(id.Value);

    private static BlobId Id(ref MessageReader r) => new(r.Guid());

    private static int Index(ref MessageReader r) => r.Int32("chunk index", 0, int.MaxValue);
}
