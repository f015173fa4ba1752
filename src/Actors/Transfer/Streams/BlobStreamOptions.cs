namespace QSI.Actors.Transfer.Streams;

/// <summary>Settings of a node's blob streams (docs/TRANSPORT.md, "Streams between processes").</summary>
public sealed record BlobStreamOptions
{
    /// <summary>Defaults: an ephemeral port, tickets good for 30 s, 10 s to say hello, 60 s of quiet on an idle connection.</summary>
    public static BlobStreamOptions Default { get; } = new();

    /// <summary>The port the listener binds on the node's own host; 0 lets the OS choose.</summary>
    public int Port { get; init; }

    /// <summary>How long a ticket may wait before its receiver presents it.</summary>
    public TimeSpan TicketLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a new connection has to finish its TLS handshake and present a token.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may sit idle between two payloads before either end closes it.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most connections the listener serves at once; one more is closed at once.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>These options with tickets good for <paramref name="lifetime"/>.</summary>
    public BlobStreamOptions WithTicketLifetime(TimeSpan lifetime) => this with { TicketLifetime = lifetime };

    internal BlobStreamOptions Validated()
    {
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "port must be in [0, 65535]");
        if (TicketLifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TicketLifetime), TicketLifetime, "ticket lifetime must be positive");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "handshake timeout must be positive");
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "idle timeout must be positive");
        if (MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "at least one connection");
        return this;
    }
}
