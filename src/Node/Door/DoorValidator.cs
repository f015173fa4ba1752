using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace QSI.Node.Door;

/// <summary>
/// The TLS door of a node: the certificate check of every connection, both ways. A peer is let
/// in only with a node certificate of the cluster CA (<see cref="ClusterTrust"/>), inside its
/// validity, naming at least one role. On a connection this node dials, the certificate must
/// also name the host dialled, and its roles are recorded in <see cref="CertifiedPeers"/> for
/// the address dialled; a connection that comes in has no address to check the certificate
/// against (its source address is whatever the peer's network chose), so it is only let in.
/// Every refusal is one warning naming the peer and the reason, with a running count.
/// </summary>
internal sealed class DoorValidator(ClusterTrust trust, CertifiedPeers peers, TimeProvider time)
{
    private int _refused;

    /// <summary>Connections refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// The check, in the shape of Akka's <c>CertificateValidationCallback</c>. <paramref name="peer"/>
    /// is the Akka address dialled (outbound) or the socket address the connection comes from (inbound).
    /// </summary>
    public bool Validate(X509Certificate2? certificate, X509Chain? chain, string peer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        var problem = Problem(certificate, peer, errors);
        if (problem is null) return true;
        var refused = Interlocked.Increment(ref _refused);
        log.Warning("door: refused TLS peer {0}: {1} (peers refused so far: {2})", peer, problem, refused);
        return false;
    }

    private string? Problem(X509Certificate2? certificate, string peer, SslPolicyErrors errors)
    {
        if (certificate is null) return "it showed no certificate";
        if (trust.Problem(certificate, time.GetUtcNow().UtcDateTime) is { } problem) return problem;
        var roles = NodeRoles.Of(certificate);
        if (roles.Count == 0) return $"certificate '{certificate.Subject}' names no role";

        if (!TryOutbound(peer, out var dialled)) return null;
        // SslStream compared the host dialled with the certificate's names; check it here too.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || !NamesHost(certificate, dialled.Host!))
        {
            return $"certificate '{certificate.Subject}' does not name host {dialled.Host}";
        }

        peers.Record(dialled, roles);
        return null;
    }

    // Akka names an outbound peer by the node address dialled, an inbound one by its socket address.
    private static bool TryOutbound(string peer, out Akka.Actor.Address address)
    {
        address = Akka.Actor.Address.AllSystems;
        if (!peer.Contains("://", StringComparison.Ordinal)) return false;
        try
        {
            address = Akka.Actor.Address.Parse(peer);
            return address.Host is { Length: > 0 } && address.Port is not null;
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    // An IP address matches an IP name of the certificate, or one of its DNS names resolving to it.
    private static bool NamesHost(X509Certificate2 certificate, string host)
    {
        if (ClusterTrust.Names(certificate, host)) return true;
        if (!IPAddress.TryParse(host, out var ip)) return false;
        foreach (var name in ClusterTrust.Hosts(certificate).Names)
        {
            try
            {
                if (Dns.GetHostAddresses(name).Any(a => ClusterTrust.Canonical(a).Equals(ip))) return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A name that does not resolve names no address.
            }
        }

        return false;
    }
}
