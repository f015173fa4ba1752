using System.Net.Sockets;
using System.Security.Cryptography;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>The receiver's end of the raw TCP path: reads every frame whole into a new byte[] and acknowledges it.</summary>
internal static class TcpSink
{
    /// <summary>Serves the first connection on <paramref name="listener"/> until the sender closes it.</summary>
    public static void Serve(TcpListener listener, TimeSpan timeout)
    {
        using var socket = TcpFraming.Configure(listener.AcceptSocket(), timeout);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        byte[]? last = null;
        while (TcpFraming.ReadLength(stream) is { } length)
        {
            if (length == TcpFraming.DigestRequest)
            {
                stream.Write(last is null ? new byte[TcpFraming.DigestBytes] : SHA256.HashData(last));
                continue;
            }
            // The same bound a BlobDownload puts on an offer, checked before allocating.
            if (length < 0 || length > BlobDownloadOptions.Default.MaxBytes)
                throw new InvalidDataException($"a frame of {length} bytes is outside [0, {BlobDownloadOptions.Default.MaxBytes}]");
            var frame = new byte[length];
            stream.ReadExactly(frame);
            last = frame;
            TcpFraming.WriteAck(stream, frame.LongLength);
        }
    }
}
