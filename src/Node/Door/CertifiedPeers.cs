using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using QSI.Actors.Door;

namespace QSI.Node.Door;

/// <summary>
/// The roles the certificates of this node's peers name, by the node address this node dialled
/// to see them (host and port). A node sends to a peer only over a connection it opened itself
/// (Akka's passive connections are off), checking there that the certificate names the host
/// dialled; so the roles recorded for an address are those of the node that answers on it.
/// </summary>
internal sealed class CertifiedPeers : IRoleCertificates
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _roles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records that the node at <paramref name="address"/> showed a certificate naming <paramref name="roles"/>.</summary>
    public void Record(Address address, IReadOnlySet<string> roles) => _roles[Key(address)] = roles;

    /// <inheritdoc />
    public IReadOnlySet<string>? RolesOf(Address member) => _roles.GetValueOrDefault(Key(member));

    private static string Key(Address address)
    {
        var host = address.Host ?? "";
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) host = ClusterTrust.Canonical(ip).ToString();
        return $"{host}:{address.Port}";
    }
}
