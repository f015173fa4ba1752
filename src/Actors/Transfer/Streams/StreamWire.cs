using System.Buffers.Binary;
using QSI.Actors.Messages;

namespace QSI.Actors.Transfer.Streams;

/// <summary>
/// The bytes of a blob stream. The receiver says hello: "QSB1" and a ticket's 32-byte token. The
/// store answers with a header, the payload's 16-byte id and its int64 length (little-endian), then
/// the payload; the receiver acknowledges the whole payload with one byte. The connection may then
/// carry the next hello. Every read waits at most a timeout for progress.
/// </summary>
internal static class StreamWire
{
    /// <summary>The protocol's first bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "QSB1"u8;

    /// <summary>Length of a hello: magic and token.</summary>
    public const int HelloBytes = 4 + Blobs.TokenBytes;

    /// <summary>Length of a header: id and length.</summary>
    public const int HeaderBytes = 16 + 8;

    /// <summary>The receiver's acknowledgement of a whole payload.</summary>
    public const byte Ack = 0x06;

    /// <summary>Bytes written between two timeout checks.</summary>
    public const int WriteSlice = 256 * 1024;

    /// <summary>A hello presenting <paramref name="token"/>.</summary>
    public static byte[] Hello(ReadOnlySpan<byte> token)
    {
        var hello = new byte[HelloBytes];
        Magic.CopyTo(hello);
        token.CopyTo(hello.AsSpan(4));
        return hello;
    }

    /// <summary>The header of <paramref name="id"/>, <paramref name="length"/> bytes.</summary>
    public static byte[] Header(BlobId id, long length)
    {
        var header = new byte[HeaderBytes];
        id.Value.TryWriteBytes(header);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), length);
        return header;
    }

    /// <summary>Reads a header.</summary>
    public static (BlobId Id, long Length) ReadHeader(ReadOnlySpan<byte> header) =>
        (new BlobId(new Guid(header[..16])), BinaryPrimitives.ReadInt64LittleEndian(header[16..]));

    /// <summary>
    /// Fills <paramref name="into"/> from <paramref name="stream"/>, waiting at most <paramref name="idle"/>
    /// for each read (null: the caller's timeout bounds the whole); returns the bytes read, fewer only when the stream ended first.
    /// </summary>
    public static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> into, CancellationTokenSource timeout, TimeSpan? idle)
    {
        var read = 0;
        var rearmed = long.MinValue;
        while (read < into.Length)
        {
            // A TLS stream answers a read with one 16 KiB record: re-arm the timer at most every 50 ms, not on every read.
            var now = Environment.TickCount64;
            if (idle is { } wait && now - rearmed >= 50)
            {
                timeout.CancelAfter(wait);
                rearmed = now;
            }
            var n = await stream.ReadAsync(into[read..], timeout.Token).ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="stream"/>, waiting at most <paramref name="idle"/> for each slice.</summary>
    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationTokenSource timeout, TimeSpan idle)
    {
        for (var at = 0; at < bytes.Length; at += WriteSlice)
        {
            timeout.CancelAfter(idle);
            await stream.WriteAsync(bytes.Slice(at, Math.Min(WriteSlice, bytes.Length - at)), timeout.Token).ConfigureAwait(false);
        }
    }
}
