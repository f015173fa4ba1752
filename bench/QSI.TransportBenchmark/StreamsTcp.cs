using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace QSI.TransportBenchmark;

/// <summary>
/// The Akka.Streams TCP path, a design weighed against the blob streams: each frame as a 4-byte
/// little-endian length (of the bytes after it) and its bytes over <c>Tcp().OutgoingConnection</c>, framed on the
/// receiver by <c>Framing.LengthField</c> and copied out of its <see cref="ByteString"/> into a new
/// byte[]; each answer framed the same way (8 bytes: the length received; a 0-length frame asks for
/// the 32-byte SHA-256 of the last frame). Akka.Streams in Akka.NET 1.5 has no TLS stage, so the
/// path is plain TCP only.
/// </summary>
internal sealed class StreamsTcpPath(ISourceQueueWithComplete<ByteString> frames, ISinkQueue<ByteString> answers, ReceiverProcess receiver)
{
    private const int MaxFrame = 64 << 20;

    /// <summary>The receiver's end: binds 127.0.0.1 on a free port and answers every connection; returns the port.</summary>
    public static async Task<int> ServeAsync(ActorSystem system)
    {
        byte[]? last = null;
        var handler = Flow.Create<ByteString>()
            .Via(Framing.LengthField(4, MaxFrame, 0, ByteOrder.LittleEndian))
            .Select(frame =>
            {
                if (frame.Count == 4) return Framed(last is null ? new byte[32] : SHA256.HashData(last));
                var bytes = new byte[frame.Count - 4];
                frame.Slice(4).CopyTo(bytes, 0, bytes.Length);
                last = bytes;
                var ack = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(ack, bytes.LongLength);
                return Framed(ack);
            });
        var binding = await system.TcpStream().BindAndHandle(handler, system.Materializer(), "127.0.0.1", 0);
        return ((IPEndPoint)binding.LocalAddress).Port;
    }

    /// <summary>Connects to the receiver's Akka.Streams port.</summary>
    public static StreamsTcpPath Connect(ActorSystem system, ReceiverProcess receiver)
    {
        var (queue, answers) = Source.Queue<ByteString>(2, OverflowStrategy.Backpressure)
            .Via(system.TcpStream().OutgoingConnection("127.0.0.1", receiver.StreamsPort))
            .Via(Framing.LengthField(4, 1024, 0, ByteOrder.LittleEndian))
            .ToMaterialized(Sink.Queue<ByteString>(), Keep.Both)
            .Run(system.Materializer());
        return new StreamsTcpPath(queue, answers, receiver);
    }

    /// <summary>Moves frames [<paramref name="first"/>, first + <paramref name="count"/>) of <paramref name="payloads"/>, timed.</summary>
    public async Task<Throughput> MoveAsync(FramePayloads payloads, int first, int count)
    {
        var processor = receiver.ProcessorTimeOfBoth();
        var clock = Stopwatch.StartNew();
        for (var k = first; k < first + count; k++)
        {
            var payload = payloads[k];
            var answer = await AskAsync(Framed(payload), $"frame {k} over Akka.Streams TCP");
            if (BinaryPrimitives.ReadInt64LittleEndian(answer) != payload.Length)
                throw new BenchmarkException($"frame {k} over Akka.Streams TCP: the receiver read {BinaryPrimitives.ReadInt64LittleEndian(answer)} bytes of {payload.Length}");
        }
        clock.Stop();
        return new Throughput(count, payloads.FrameBytes, clock.Elapsed, receiver.ProcessorTimeOfBoth() - processor);
    }

    /// <summary>The SHA-256 of the last frame the receiver read.</summary>
    public async Task<string> LastDigestAsync() =>
        Convert.ToHexStringLower(await AskAsync(Framed([]), "asking for the last frame's digest over Akka.Streams TCP"));

    private async Task<byte[]> AskAsync(ByteString frame, string what)
    {
        if (await frames.OfferAsync(frame) is not QueueOfferResult.Enqueued) throw new BenchmarkException($"{what}: the connection refused the frame");
        var answer = await receiver.Within(answers.PullAsync(), what);
        if (!answer.HasValue) throw new BenchmarkException($"{what}: the connection closed");
        return answer.Value.Slice(4).ToArray();
    }

    private static ByteString Framed(byte[] payload)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        return ByteString.FromBytes(header).Concat(ByteString.FromBytes(payload));
    }
}
