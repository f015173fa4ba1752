using Akka.Actor;

namespace QSI.Actors.Messages;

/// <summary>Identifies one published payload within the store that offers it.</summary>
/// <param name="Value">A random identifier; unguessable, so only those told of an offer pull it.</param>
public readonly record struct BlobId(Guid Value)
{
    /// <summary>A fresh identifier.</summary>
    public static BlobId New() => new(Guid.NewGuid());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N")[..12];
}

/// <summary>
/// The conversation that moves a large payload (a layer's frame, a reference) between
/// processes by pull: the receiver asks for one chunk at a time with at most a window of
/// pulls outstanding, and the store answers each pull with exactly one chunk or with
/// <see cref="Unavailable"/>. The store never sends unasked, so neither side can flood the
/// other's mailbox, and every chunk stays well under Akka.Remote's frame limit (docs/TRANSPORT.md).
/// </summary>
public static class Blobs
{
    /// <summary>
    /// The largest chunk, 64 KiB: half of Akka.Remote's default 128 kB frame, so a chunk
    /// plus its envelope always fits and heartbeats interleave with a transfer.
    /// </summary>
    public const int MaxChunkSize = 64 * 1024;

    /// <summary>A payload ready to be pulled from <paramref name="Store"/>.</summary>
    /// <param name="Id">The payload's identifier in the store.</param>
    /// <param name="Kind">What the payload holds (e.g. "frame", "reference"), for the receiver's dispatch.</param>
    /// <param name="TotalBytes">The payload's length in bytes.</param>
    /// <param name="ChunkSize">Length of every chunk but the last, at most <see cref="MaxChunkSize"/>.</param>
    /// <param name="Store">The store to pull from.</param>
    public sealed record Offer(BlobId Id, string Kind, long TotalBytes, int ChunkSize, IActorRef Store) : IWireMessage
    {
        /// <summary>Number of chunks; an empty payload travels as one empty chunk.</summary>
        public int ChunkCount => TotalBytes == 0 ? 1 : checked((int)((TotalBytes + ChunkSize - 1) / ChunkSize));

        /// <summary>The length chunk <paramref name="index"/> must have.</summary>
        public int ChunkLength(int index) => (int)Math.Min(ChunkSize, TotalBytes - (long)index * ChunkSize);
    }

    /// <summary>Asks the store for chunk <paramref name="Index"/>; the store answers the sender.</summary>
    /// <param name="Id">The payload.</param>
    /// <param name="Index">Zero-based chunk index.</param>
    public sealed record Pull(BlobId Id, int Index) : IWireMessage;

    /// <summary>One chunk of a payload, the answer to a <see cref="Pull"/>.</summary>
    /// <param name="Id">The payload.</param>
    /// <param name="Index">Zero-based chunk index.</param>
    /// <param name="Bytes">
    /// The chunk's bytes, bytes [Index * ChunkSize, ...) of the payload: a view, not a copy,
    /// of the store's payload when sent and of the received buffer when read; read-only.
    /// </param>
    public sealed record Chunk(BlobId Id, int Index, ReadOnlyMemory<byte> Bytes) : IWireMessage;

    /// <summary>The answer to a pull the store cannot serve: unknown, expired, fully pulled, or not offered to the sender.</summary>
    /// <param name="Id">The payload asked for.</param>
    /// <param name="Reason">One line saying why.</param>
    public sealed record Unavailable(BlobId Id, string Reason) : IWireMessage;

    /// <summary>Length of a stream ticket's token: 32 bytes from the operating system's CSPRNG.</summary>
    public const int TokenBytes = 32;

    /// <summary>
    /// Asks the store, from another process, for a ticket to receive the whole payload over a
    /// byte stream instead of pulling chunks (docs/TRANSPORT.md, "Streams between processes");
    /// the store answers the sender with <see cref="StreamTicket"/> or <see cref="Unavailable"/>.
    /// </summary>
    /// <param name="Id">The payload.</param>
    public sealed record OpenStream(BlobId Id) : IWireMessage;

    /// <summary>
    /// The answer to <see cref="OpenStream"/>: connect to <paramref name="Host"/>:<paramref name="Port"/>
    /// (the store's node's own host) and present <paramref name="Token"/>, good once, for this one
    /// payload and this one receiver, for a short time.
    /// </summary>
    /// <param name="Id">The payload.</param>
    /// <param name="Host">The host the store's node listens on; the receiver refuses any other than the store's own.</param>
    /// <param name="Port">The port of the store's stream listener.</param>
    /// <param name="Token"><see cref="TokenBytes"/> unguessable bytes.</param>
    public sealed record StreamTicket(BlobId Id, string Host, int Port, ReadOnlyMemory<byte> Token) : IWireMessage;

    /// <summary>Tells the store the payload is no longer wanted, so it can drop it at once.</summary>
    /// <param name="Id">The payload.</param>
    public sealed record Release(BlobId Id) : IWireMessage;
}
