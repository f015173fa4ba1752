using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;

namespace QSI.Actors.Transfer.Streams;

/// <summary>A blob stream that did not deliver its payload; the message is one line saying why.</summary>
internal sealed class StreamFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The receiving end of a node's blob streams: connects to the store's node (behind the door with
/// mutual TLS, the store's certificate checked by the door's rules against the address of the
/// store's node), presents the ticket's token and reads the payload straight into its final array.
/// A connection that delivered a whole payload is kept for the next one to the same store node
/// for a while, so a stream of frames pays for one handshake.
/// </summary>
internal sealed class BlobStreamClient(StreamTls? tls, BlobStreamOptions options, ILoggingAdapter log) : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Idle>> _idle = new(StringComparer.Ordinal);

    private sealed record Idle(Stream Stream, DateTimeOffset Since);

    /// <summary>
    /// Receives the payload of <paramref name="offer"/> with <paramref name="ticket"/> into
    /// <paramref name="into"/> (exactly <see cref="Blobs.Offer.TotalBytes"/> long), waiting at most
    /// <paramref name="progress"/> for each step.
    /// </summary>
    /// <exception cref="StreamFailedException">The payload did not arrive whole.</exception>
    public async Task ReceiveAsync(Blobs.StreamTicket ticket, Blobs.Offer offer, byte[] into, TimeSpan progress, CancellationToken cancel)
    {
        var store = offer.Store.Path.Address;
        if (!string.Equals(ticket.Host, store.Host, StringComparison.OrdinalIgnoreCase))
            throw new StreamFailedException($"the ticket names host {ticket.Host}, not {store.Host} where the store is");
        var key = $"{store}|{ticket.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var pooled = TakeIdle(key);
        try
        {
            if (pooled is not null)
            {
                // A kept connection the store closed meanwhile fails before a byte of its answer; a fresh one gets the same token.
                try
                {
                    await ExchangeAsync(pooled, ticket, offer, into, timeout, progress, fresh: false).ConfigureAwait(false);
                    Keep(key, pooled);
                    return;
                }
                catch (StaleConnectionException)
                {
                    await pooled.DisposeAsync().ConfigureAwait(false);
                }
            }
            var stream = await ConnectAsync(ticket, store, timeout, progress).ConfigureAwait(false);
            try
            {
                await ExchangeAsync(stream, ticket, offer, into, timeout, progress, fresh: true).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            Keep(key, stream);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new StreamFailedException($"no progress within {progress.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            throw new StreamFailedException($"the stream broke: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private sealed class StaleConnectionException : Exception;

    private async Task<Stream> ConnectAsync(Blobs.StreamTicket ticket, Address store, CancellationTokenSource timeout, TimeSpan progress)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            timeout.CancelAfter(progress);
            await socket.ConnectAsync(ticket.Host, ticket.Port, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls is null) return stream;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var refusedByDoor = false;
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = ticket.Host,
                ClientCertificates = [tls.Certificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, c, chain, errors) =>
                    !(refusedByDoor = !tls.Check(c as X509Certificate2, chain, store.ToString(), errors, log)),
            }, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new StreamFailedException(refusedByDoor ? "the door refused the store's certificate" : $"no TLS handshake: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExchangeAsync(Stream stream, Blobs.StreamTicket ticket, Blobs.Offer offer, byte[] into,
        CancellationTokenSource timeout, TimeSpan progress, bool fresh)
    {
        var header = new byte[StreamWire.HeaderBytes];
        int headerRead;
        try
        {
            await StreamWire.WriteAsync(stream, StreamWire.Hello(ticket.Token.Span), timeout, progress).ConfigureAwait(false);
            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            headerRead = await StreamWire.ReadFullyAsync(stream, header, timeout, progress).ConfigureAwait(false);
        }
        catch (IOException) when (!fresh)
        {
            throw new StaleConnectionException();
        }
        if (headerRead == 0 && !fresh) throw new StaleConnectionException();
        if (headerRead < header.Length)
            throw new StreamFailedException(headerRead == 0 ? "the store's node closed the stream without an answer (ticket refused)" : $"the stream ended after {headerRead} bytes of its header");
        var (id, length) = StreamWire.ReadHeader(header);
        if (id != offer.Id) throw new StreamFailedException($"the stream carries blob {id}, not {offer.Id}");
        if (length != offer.TotalBytes) throw new StreamFailedException($"the stream announces {length} bytes; the offer {offer.TotalBytes}");
        var read = await StreamWire.ReadFullyAsync(stream, into, timeout, progress).ConfigureAwait(false);
        if (read < into.Length) throw new StreamFailedException($"the stream ended after {read} of {into.Length} bytes");
        await StreamWire.WriteAsync(stream, new[] { StreamWire.Ack }, timeout, progress).ConfigureAwait(false);
        await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    private Stream? TakeIdle(string key)
    {
        if (!_idle.TryGetValue(key, out var queue)) return null;
        var oldest = DateTimeOffset.UtcNow - options.IdleTimeout / 2;
        while (queue.TryDequeue(out var idle))
        {
            if (idle.Since >= oldest) return idle.Stream;
            idle.Stream.Dispose();
        }
        return null;
    }

    private void Keep(string key, Stream stream) => _idle.GetOrAdd(key, _ => new()).Enqueue(new Idle(stream, DateTimeOffset.UtcNow));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var queue in _idle.Values)
            while (queue.TryDequeue(out var idle)) idle.Stream.Dispose();
    }
}
