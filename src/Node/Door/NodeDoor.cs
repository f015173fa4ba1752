using System.Security.Cryptography.X509Certificates;
using QSI.Actors.Transfer.Streams;

namespace QSI.Node.Door;

/// <summary>
/// What a node needs for mutual TLS: its own certificate (with private key), shown to every
/// peer, and the cluster CAs it trusts for theirs.
/// </summary>
/// <param name="Certificate">The node's certificate and key.</param>
/// <param name="Trust">The cluster CAs.</param>
internal sealed record NodeDoor(X509Certificate2 Certificate, ClusterTrust Trust)
{
    /// <summary>
    /// The blob streams of a node behind this door: mutual TLS with the node's certificate, the
    /// peer's checked by <paramref name="validator"/> as on every cluster connection, and a ticket
    /// taken only from a node whose certificate names the host of the receiver it was granted to.
    /// </summary>
    public BlobStreamSetup Streams(DoorValidator validator) => new(new StreamTls(Certificate, validator.Validate, ClusterTrust.Names));

    /// <summary>
    /// Loads the node's door from PEM files and checks that it can open: the certificate chains
    /// to the CA and is valid now, names <paramref name="host"/>, and names every role in
    /// <paramref name="roles"/>.
    /// </summary>
    /// <exception cref="UserError">A file is missing or wrong, or the certificate does not fit the node.</exception>
    public static NodeDoor Load(string certificatePath, string keyPath, string authorityPath, string host, IReadOnlyList<string> roles, DateTime now)
    {
        var certificate = NodeCertificateFiles.ReadWithKey(certificatePath, keyPath, "certificate");
        var trust = new ClusterTrust(NodeCertificateFiles.ReadAuthorities(authorityPath));
        if (trust.Problem(certificate, now) is { } problem) throw new UserError($"{certificatePath}: {problem}");
        var named = NodeRoles.Of(certificate);
        var missing = roles.Where(r => !named.Contains(r)).ToArray();
        if (missing.Length > 0)
        {
            throw new UserError($"{certificatePath} names roles [{string.Join(", ", named.Order())}], so this node cannot take role "
                + $"{string.Join(", ", missing)}; issue one with 'qsi certs issue {string.Join(",", roles)} NAME'");
        }

        if (!ClusterTrust.Names(certificate, host))
        {
            var (addresses, names) = ClusterTrust.Hosts(certificate);
            throw new UserError($"{certificatePath} is for hosts [{string.Join(", ", addresses.Select(a => a.ToString()).Concat(names))}], not {host}; "
                + $"give --host one of them or issue a certificate with --host {host}");
        }

        return new NodeDoor(certificate, trust);
    }
}
