using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Event;

namespace QSI.Actors.Transfer.Streams;

/// <summary>
/// The listening end of a node's blob streams, bound to the node's own host only. Each connection
/// is read as if an attacker opened it: it must finish its TLS handshake (behind the door: mutual,
/// checked by the door's rules) and present a token within a timeout, and a token lets through
/// exactly the one payload it was granted for, once, to a peer whose certificate names the
/// receiver's host. Any other connection gets nothing, is closed, and is logged once with a count.
/// </summary>
internal sealed class BlobStreamServer : IDisposable
{
    private readonly Socket _listener;
    private readonly StreamTickets _tickets;
    private readonly StreamTls? _tls;
    private readonly BlobStreamOptions _options;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;
    private int _refused;

    /// <summary>Listens on <paramref name="address"/> at the options' port.</summary>
    public BlobStreamServer(IPAddress address, StreamTickets tickets, StreamTls? tls, BlobStreamOptions options, ILoggingAdapter log)
    {
        _tickets = tickets;
        _tls = tls;
        _options = options;
        _log = log;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, options.Port));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>The port bound.</summary>
    public int Port { get; }

    /// <summary>Connections refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                Refuse(socket.RemoteEndPoint?.ToString() ?? "?", $"{_options.MaxConnections} connections are open already");
                socket.Dispose();
                continue;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        StreamTicketGrant? serving = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            timeout.CancelAfter(_options.HandshakeTimeout);
            X509Certificate2? certificate = null;
            if (_tls is { } tls)
            {
                var refusedByDoor = false;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                try
                {
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = tls.Certificate,
                        ClientCertificateRequired = true,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, c, chain, errors) =>
                            !(refusedByDoor = !tls.Check(c as X509Certificate2, chain, peer, errors, _log)),
                    }, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
                {
                    // The door has logged a certificate it refused; anything else is logged here.
                    if (!refusedByDoor) Refuse(peer, $"no TLS handshake: {OneLine(e)}");
                    return;
                }
                certificate = ssl.RemoteCertificate as X509Certificate2;
                if (certificate is null)
                {
                    Refuse(peer, "it showed no certificate");
                    return;
                }
            }

            var hello = new byte[StreamWire.HelloBytes];
            for (var first = true; ; first = false)
            {
                if (!first) timeout.CancelAfter(_options.IdleTimeout);
                // The magic first, so a peer speaking something else is refused at once, not at the timeout.
                var read = await StreamWire.ReadFullyAsync(stream, hello.AsMemory(0, StreamWire.Magic.Length), timeout, idle: null).ConfigureAwait(false);
                if (read == 0 && !first) return; // the receiver closed an idle connection
                if (read < StreamWire.Magic.Length || !hello.AsSpan(0, read).SequenceEqual(StreamWire.Magic))
                {
                    Refuse(peer, read < StreamWire.Magic.Length ? $"it sent {read} bytes, not a hello" : "it does not speak the blob stream protocol");
                    return;
                }
                read += await StreamWire.ReadFullyAsync(stream, hello.AsMemory(read), timeout, idle: null).ConfigureAwait(false);
                if (read < hello.Length)
                {
                    Refuse(peer, $"it sent {read} bytes, not a hello");
                    return;
                }
                var grant = _tickets.Take(hello.AsSpan(4), out var reason);
                if (grant is null)
                {
                    Refuse(peer, reason);
                    return;
                }
                if (certificate is not null && !_tls!.NamesHost(certificate, grant.Receiver.Host!))
                {
                    Refuse(peer, $"certificate '{certificate.Subject}' does not name host {grant.Receiver.Host} of the receiver the ticket was granted to");
                    grant.Store.Tell(new BlobStore.Streamed(grant.Id, "its ticket was presented by another node"));
                    return;
                }

                serving = grant;
                await ServeOneAsync(stream, grant, timeout).ConfigureAwait(false);
                serving = null;
                grant.Store.Tell(new BlobStore.Streamed(grant.Id, null));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // The receiver's download fails with its own reason; the store drops the payload.
            serving?.Store.Tell(new BlobStore.Streamed(serving.Id, $"the stream broke: {OneLine(e)}"));
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task ServeOneAsync(Stream stream, StreamTicketGrant grant, CancellationTokenSource timeout)
    {
        var idle = _options.HandshakeTimeout;
        await StreamWire.WriteAsync(stream, StreamWire.Header(grant.Id, grant.Payload.LongLength), timeout, idle).ConfigureAwait(false);
        await StreamWire.WriteAsync(stream, grant.Payload, timeout, idle).ConfigureAwait(false);
        await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        var ack = new byte[1];
        if (await StreamWire.ReadFullyAsync(stream, ack, timeout, idle).ConfigureAwait(false) != 1 || ack[0] != StreamWire.Ack)
        {
            throw new InvalidDataException("the receiver did not acknowledge the payload");
        }
    }

    private void Refuse(string peer, string reason)
    {
        var refused = Interlocked.Increment(ref _refused);
        _log.Warning("blob stream: refused connection from {0}: {1} (connections refused so far: {2})", peer, reason, refused);
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }
}
