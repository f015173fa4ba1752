using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace QSI.Node.Door;

/// <summary>
/// The cluster's certificate authority: a self-signed ECDSA P-256 CA certificate whose key signs
/// one certificate per node. A node certificate names the node's roles (<see cref="NodeRoles"/>)
/// and its hosts (IP addresses and DNS names as subject alternative names, for hostname
/// validation), and serves both ends of a mutual-TLS connection.
/// </summary>
internal static class ClusterAuthority
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A new CA certificate, with its private key, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static X509Certificate2 Create(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}, O=QSI cluster CA"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>
    /// A certificate for node <paramref name="name"/> of <paramref name="roles"/> on
    /// <paramref name="hosts"/> (IP addresses or DNS names), signed by <paramref name="authority"/>,
    /// with its private key.
    /// </summary>
    /// <exception cref="UserError">The validity outlasts the CA's, or a host is empty.</exception>
    public static X509Certificate2 Issue(
        X509Certificate2 authority, string name, IReadOnlyList<string> roles, IReadOnlyList<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (notAfter > authority.NotAfter)
        {
            throw new UserError($"the certificate would outlive the CA (which expires {authority.NotAfter.ToUniversalTime():yyyy-MM-dd}); give fewer --days or rotate the CA");
        }

        // A certificate cannot start before its CA; one issued right after 'certs init' starts with it.
        if (notBefore < authority.NotBefore) notBefore = authority.NotBefore;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}, O=QSI cluster node"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (string.IsNullOrWhiteSpace(host)) throw new UserError("a --host is empty; give an IP address or a DNS name");
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }

        foreach (var role in roles) names.AddUri(new Uri(NodeRoles.Uri(role)));
        request.CertificateExtensions.Add(names.Build(critical: false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(authority, notBefore, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    // A comma or equals sign in a name would change the distinguished name's meaning.
    private static string Escape(string name) =>
        name.IndexOfAny([',', '=', '+', '"', '\\', '<', '>', ';']) >= 0
            ? throw new UserError($"name '{name}' may not contain , = + \" \\ < > ;")
            : name;
}
