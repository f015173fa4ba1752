using System.Buffers.Binary;
using System.Net.Sockets;

namespace QSI.TransportBenchmark;

/// <summary>
/// The raw TCP path's protocol: each frame as a 4-byte little-endian length and its bytes,
/// acknowledged by the receiver with the same length as 8 bytes once the whole frame is in a
/// byte[]. The length <see cref="DigestRequest"/> asks instead for the 32-byte SHA-256 of
/// the last frame received. Both ends use blocking sockets with Nagle's algorithm off, as
/// Akka.Remote's transport does (<c>tcp-nodelay = on</c>), and the OS's buffer sizes.
/// </summary>
internal static class TcpFraming
{
    /// <summary>The length that asks for the digest of the last frame.</summary>
    public const int DigestRequest = -1;

    /// <summary>Bytes of a SHA-256 digest.</summary>
    public const int DigestBytes = 32;

    /// <summary>A socket set up the same way on both ends.</summary>
    public static Socket Configure(Socket socket, TimeSpan timeout)
    {
        socket.NoDelay = true;
        socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        return socket;
    }

    public static void WriteLength(Stream stream, int length)
    {
        Span<byte> header = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        stream.Write(header);
    }

    /// <summary>The next length, or null when the peer closed the connection between frames.</summary>
    public static int? ReadLength(Stream stream)
    {
        Span<byte> header = stackalloc byte[sizeof(int)];
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read == 0) return null;
        if (read < header.Length) throw new EndOfStreamException("the connection closed inside a frame header");
        return BinaryPrimitives.ReadInt32LittleEndian(header);
    }

    public static void WriteAck(Stream stream, long length)
    {
        Span<byte> ack = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(ack, length);
        stream.Write(ack);
    }

    public static long ReadAck(Stream stream)
    {
        Span<byte> ack = stackalloc byte[sizeof(long)];
        stream.ReadExactly(ack);
        return BinaryPrimitives.ReadInt64LittleEndian(ack);
    }
}
