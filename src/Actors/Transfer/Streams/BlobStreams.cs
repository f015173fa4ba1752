using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;

namespace QSI.Actors.Transfer.Streams;

/// <summary>
/// A node's byte streams for payloads that cross to another process (docs/TRANSPORT.md, "Streams
/// between processes"). The store's side grants one-time tickets and listens, on the node's own
/// host only, from the first ticket on; the receiver's side connects and reads. Within one process
/// nothing here is used: payloads stay in memory.
/// </summary>
public sealed class BlobStreams : IExtension, IDisposable
{
    private readonly ExtendedActorSystem _system;
    private readonly StreamTls? _tls;
    private readonly BlobStreamOptions _options;
    private readonly StreamTickets _tickets;
    private readonly ILoggingAdapter _log;
    private readonly Lazy<BlobStreamClient> _client;
    private readonly object _gate = new();
    private BlobStreamServer? _server;
    private bool _disposed;

    private BlobStreams(ExtendedActorSystem system, BlobStreamSetup? setup)
    {
        _system = system;
        _tls = setup?.Tls;
        var options = setup?.Options ?? BlobStreamOptions.Default;
        // A fixed port for firewalls comes from the node's configuration; the setup's own port wins.
        if (options.Port == 0) options = options with { Port = system.Settings.Config.GetInt(PortSetting, 0) };
        _options = options.Validated();
        _tickets = new StreamTickets(setup?.Time ?? TimeProvider.System);
        _log = Logging.GetLogger(system, typeof(BlobStreams));
        _client = new Lazy<BlobStreamClient>(() => new BlobStreamClient(_tls, _options, _log));
        system.RegisterOnTermination(Dispose);
    }

    /// <summary>The configuration path of the listener's port (0, the default, lets the OS choose).</summary>
    public const string PortSetting = "qsi.blob-streams.port";

    /// <summary>The streams of <paramref name="system"/>.</summary>
    public static BlobStreams Get(ActorSystem system) => system.WithExtension<BlobStreams, BlobStreamsProvider>();

    /// <summary>True when <paramref name="actor"/> lives in another process, so payloads to or from it travel by stream.</summary>
    public static bool IsRemote(IActorRef actor) => actor is IInternalActorRef { IsLocal: false };

    /// <summary>The port the listener is bound to; null until the first ticket.</summary>
    public int? Port => _server?.Port;

    /// <summary>Connections the listener refused so far.</summary>
    public int Refused => _server?.Refused ?? 0;

    /// <summary>
    /// A ticket for <paramref name="receiver"/> to stream <paramref name="payload"/> (<paramref name="id"/>),
    /// good once and for the ticket lifetime; or null with <paramref name="problem"/> when this node cannot serve streams.
    /// </summary>
    internal Blobs.StreamTicket? Grant(BlobId id, byte[] payload, IActorRef receiver, IActorRef store, out string problem)
    {
        var server = Server(out problem);
        if (server is null) return null;
        var grant = new StreamTicketGrant(id, payload, receiver.Path.Address, _tickets.ExpiryFrom(_options.TicketLifetime), store);
        var token = _tickets.Open(grant);
        return new Blobs.StreamTicket(id, Host, server.Port, token);
    }

    /// <summary>Closes the ticket of <paramref name="token"/> if it was not presented yet.</summary>
    internal void Revoke(ReadOnlyMemory<byte> token) => _tickets.Revoke(token.Span);

    /// <summary>Receives the payload of <paramref name="offer"/> with <paramref name="ticket"/> into <paramref name="into"/>.</summary>
    /// <exception cref="StreamFailedException">It did not arrive whole; the message says why.</exception>
    internal Task ReceiveAsync(Blobs.StreamTicket ticket, Blobs.Offer offer, byte[] into, TimeSpan progress, CancellationToken cancel)
    {
        if (_tls is null && IsTlsRemoting)
            throw new StreamFailedException("this node's remoting is TLS but it has no TLS for streams (BlobStreamSetup)");
        return _client.Value.ReceiveAsync(ticket, offer, into, progress, cancel);
    }

    private string Host => _system.Provider.DefaultAddress.Host!;

    private bool IsTlsRemoting => _system.Provider.DefaultAddress.Protocol.Contains("ssl", StringComparison.Ordinal);

    private BlobStreamServer? Server(out string problem)
    {
        problem = "";
        lock (_gate)
        {
            if (_server is not null) return _server;
            if (_disposed) return Refuse("the node is shutting down", out problem);
            if (_system.Provider is not Akka.Remote.IRemoteActorRefProvider) return Refuse("this node has no remoting", out problem);
            if (_tls is null && IsTlsRemoting) return Refuse("this node's remoting is TLS but it has no TLS for streams (BlobStreamSetup)", out problem);
            IPAddress address;
            try
            {
                address = IPAddress.TryParse(Host, out var ip) ? ip : Dns.GetHostAddresses(Host)[0];
            }
            catch (Exception e) when (e is SocketException or IndexOutOfRangeException or ArgumentException)
            {
                return Refuse($"the node's host {Host} has no address to listen on: {e.Message}", out problem);
            }
            try
            {
                _server = new BlobStreamServer(address, _tickets, _tls, _options, _log);
            }
            catch (SocketException e)
            {
                return Refuse($"cannot listen on {address}:{_options.Port}: {e.Message}", out problem);
            }
            _log.Info("blob streams listen on {0}:{1} ({2})", address, _server.Port, _tls is null ? "plain TCP" : "mutual TLS");
            return _server;
        }
    }

    private static BlobStreamServer? Refuse(string why, out string problem)
    {
        problem = why;
        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _server?.Dispose();
        }
        if (_client.IsValueCreated) _client.Value.Dispose();
    }

    private sealed class BlobStreamsProvider : ExtensionIdProvider<BlobStreams>
    {
        public override BlobStreams CreateExtension(ExtendedActorSystem system)
        {
            var setup = system.Settings.Setup.Get<BlobStreamSetup>();
            return new BlobStreams(system, setup.HasValue ? setup.Value : null);
        }
    }
}
