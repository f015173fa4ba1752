using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace QSI.TransportBenchmark;

/// <summary>
/// The server's end of a raw socket path, a baseline: one loopback connection to the
/// receiver, plain TCP or mutual TLS (<see cref="SslStream"/>, the certificate of the Akka TLS
/// path), each frame written with its length and acknowledged once the receiver holds it whole
/// in a new byte[]. One frame at a time, like the Akka paths; the clock runs from the first
/// write to the last acknowledgement.
/// </summary>
internal sealed class TcpPath : IDisposable
{
    private readonly ReceiverProcess _receiver;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly string _name;

    private TcpPath(ReceiverProcess receiver, Socket socket, Stream stream, string name)
    {
        _receiver = receiver;
        _socket = socket;
        _stream = stream;
        _name = name;
    }

    /// <summary>Connects to the receiver's <paramref name="port"/> on 127.0.0.1, with mutual TLS when <paramref name="tls"/> is given.</summary>
    public static TcpPath Connect(ReceiverProcess receiver, int port, X509Certificate2? tls)
    {
        var name = tls is null ? "TCP" : "TLS";
        var socket = TcpFraming.Configure(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), BenchmarkOptions.StepTimeout);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, c, _, _) => c is not null);
                ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", ClientCertificates = [tls] });
                stream = ssl;
            }
            return new TcpPath(receiver, socket, stream, name);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            socket.Dispose();
            throw new BenchmarkException($"connecting to the receiver's {name} port {port}: {e.Message}", e);
        }
    }

    /// <summary>Moves frames [<paramref name="first"/>, first + <paramref name="count"/>) of <paramref name="frames"/>, timed.</summary>
    public Throughput Move(FramePayloads frames, int first, int count)
    {
        var processor = _receiver.ProcessorTimeOfBoth();
        var clock = Stopwatch.StartNew();
        for (var k = first; k < first + count; k++)
        {
            var payload = frames[k];
            var received = Step($"frame {k} over {_name}", () =>
            {
                TcpFraming.WriteLength(_stream, payload.Length);
                _stream.Write(payload);
                return TcpFraming.ReadAck(_stream);
            });
            if (received != payload.Length) throw new BenchmarkException($"frame {k} over {_name}: the receiver read {received} bytes of {payload.Length}");
        }
        clock.Stop();
        return new Throughput(count, frames.FrameBytes, clock.Elapsed, _receiver.ProcessorTimeOfBoth() - processor);
    }

    /// <summary>The SHA-256 of the last frame the receiver read.</summary>
    public string LastDigest() => Step($"asking the receiver for the last frame's digest over {_name}", () =>
    {
        TcpFraming.WriteLength(_stream, TcpFraming.DigestRequest);
        var digest = new byte[TcpFraming.DigestBytes];
        _stream.ReadExactly(digest);
        return Convert.ToHexStringLower(digest);
    });

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private static T Step<T>(string what, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new BenchmarkException($"{what}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
