using System.Net.Sockets;
using QSI.Actors.Messages;
using QSI.Actors.Transfer.Streams;

namespace QSI.Actors.Tests.Remoting;

/// <summary>A hand-made blob-stream receiver: presents a token and reads what the store's node answers, as any process could.</summary>
internal static class StreamPeer
{
    /// <summary>
    /// Presents <paramref name="token"/> at <paramref name="ticket"/>'s endpoint and reads the answer to its end:
    /// the header and payload when the token is good (acknowledged), nothing when the node closes the connection.
    /// </summary>
    public static async Task<byte[]> PresentAsync(Blobs.StreamTicket ticket, ReadOnlyMemory<byte> token)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(ticket.Host, ticket.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(StreamWire.Hello(token.Span));
        using var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            answer.Write(buffer, 0, n);
            if (answer.Length >= StreamWire.HeaderBytes && answer.Length == StreamWire.HeaderBytes + StreamWire.ReadHeader(answer.GetBuffer().AsSpan(0, StreamWire.HeaderBytes)).Length)
            {
                stream.WriteByte(StreamWire.Ack);
                break;
            }
        }
        return answer.ToArray();
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
