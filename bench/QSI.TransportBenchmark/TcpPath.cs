using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QSI.TransportBenchmark;

/// <summary>
/// The server's end of the raw TCP path, the baseline: one loopback connection to the
/// receiver, each frame written with its length and acknowledged once the receiver holds it
/// whole in a new byte[]. One frame at a time, like the Akka path; the clock runs from the
/// first write to the last acknowledgement.
/// </summary>
internal sealed class TcpPath : IDisposable
{
    private readonly ReceiverProcess _receiver;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private TcpPath(ReceiverProcess receiver, Socket socket)
    {
        _receiver = receiver;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Connects to the receiver's TCP port on 127.0.0.1.</summary>
    public static TcpPath Connect(ReceiverProcess receiver)
    {
        var socket = TcpFraming.Configure(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), BenchmarkOptions.StepTimeout);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, receiver.TcpPort));
            return new TcpPath(receiver, socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new BenchmarkException($"connecting to the receiver's TCP port {receiver.TcpPort}: {e.Message}", e);
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
            var received = Step($"frame {k} over TCP", () =>
            {
                TcpFraming.WriteLength(_stream, payload.Length);
                _stream.Write(payload);
                return TcpFraming.ReadAck(_stream);
            });
            if (received != payload.Length) throw new BenchmarkException($"frame {k} over TCP: the receiver read {received} bytes of {payload.Length}");
        }
        clock.Stop();
        return new Throughput(count, frames.FrameBytes, clock.Elapsed, _receiver.ProcessorTimeOfBoth() - processor);
    }

    /// <summary>The SHA-256 of the last frame the receiver read.</summary>
    public string LastDigest() => Step("asking the receiver for the last frame's digest over TCP", () =>
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
