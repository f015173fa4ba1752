using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Event;

namespace QSI.Actors.Transfer.Streams;

/// <summary>
/// Decides whether a certificate shown on a blob stream is let in: the same check as the node's
/// TLS door. <paramref name="peer"/> is the Akka address of the store's node on a stream this node
/// dials, or the socket address a stream comes from on one it accepts. The check logs each refusal on <paramref name="log"/>.
/// </summary>
public delegate bool StreamCertificateCheck(X509Certificate2? certificate, X509Chain? chain, string peer, SslPolicyErrors errors, ILoggingAdapter log);

/// <summary>
/// Mutual TLS for a node's blob streams: the node's own certificate, shown both ways, the door's
/// check of the peer's, and whether a certificate names a host (to bind a ticket to its receiver's node).
/// </summary>
/// <param name="Certificate">The node's certificate, with its private key.</param>
/// <param name="Check">The door's check of the peer's certificate.</param>
/// <param name="NamesHost">True when a certificate names a host (an IP address or DNS name).</param>
public sealed record StreamTls(X509Certificate2 Certificate, StreamCertificateCheck Check, Func<X509Certificate2, string, bool> NamesHost);

/// <summary>
/// Hands a node's blob-stream security to its ActorSystem before it starts: with <see cref="Tls"/>
/// every stream is mutual TLS; without it, streams are plain TCP, which a system whose remoting is
/// TLS refuses to open (no silent downgrade).
/// </summary>
/// <param name="tls">Mutual TLS for the streams; null for plain TCP.</param>
/// <param name="options">The streams' settings; null for <see cref="BlobStreamOptions.Default"/>.</param>
/// <param name="time">The clock tickets expire by; null for the system clock.</param>
public sealed class BlobStreamSetup(StreamTls? tls, BlobStreamOptions? options = null, TimeProvider? time = null) : Setup
{
    /// <summary>Mutual TLS for the streams; null for plain TCP.</summary>
    public StreamTls? Tls { get; } = tls;

    /// <summary>The streams' settings; null for the defaults.</summary>
    public BlobStreamOptions? Options { get; } = options;

    /// <summary>The clock tickets expire by; null for the system clock.</summary>
    public TimeProvider? Time { get; } = time;
}
