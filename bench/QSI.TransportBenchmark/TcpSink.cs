using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>The receiver's end of the raw TCP path: reads every frame whole into a new byte[] and acknowledges it.</summary>
internal static class TcpSink
{
    /// <summary>Serves the first connection on <paramref name="listener"/> until the sender closes it; with mutual TLS when <paramref name="tls"/> is given.</summary>
    public static void Serve(TcpListener listener, TimeSpan timeout, X509Certificate2? tls)
    {
        using var socket = TcpFraming.Configure(listener.AcceptSocket(), timeout);
        using Stream stream = tls is null ? new NetworkStream(socket, ownsSocket: false) : Secure(new NetworkStream(socket, ownsSocket: false), tls);
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

    private static SslStream Secure(Stream stream, X509Certificate2 certificate)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, c, _, _) => c is not null);
        ssl.AuthenticateAsServer(new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = true });
        return ssl;
    }
}
