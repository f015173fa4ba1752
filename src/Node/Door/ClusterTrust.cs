using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace QSI.Node.Door;

/// <summary>
/// The cluster CAs a node trusts, and nothing else: a peer's certificate is accepted only when it
/// chains to one of them (custom root trust; the system's store plays no part), is inside its
/// validity period and is a node certificate (not itself a CA). Several CAs in one bundle let a
/// cluster move to a new CA while certificates of the old one are still in use.
/// </summary>
internal sealed class ClusterTrust
{
    private readonly X509Certificate2Collection _authorities;

    /// <summary>Trusts <paramref name="authorities"/>.</summary>
    public ClusterTrust(X509Certificate2Collection authorities)
    {
        _authorities = authorities;
    }

    /// <summary>Why <paramref name="certificate"/> is refused at <paramref name="now"/>; null when it is accepted.</summary>
    public string? Problem(X509Certificate2 certificate, DateTime now)
    {
        if (now < certificate.NotBefore.ToUniversalTime()) return $"certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        if (now > certificate.NotAfter.ToUniversalTime()) return $"certificate '{certificate.Subject}' expired {certificate.NotAfter.ToUniversalTime():u}";
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
        {
            return $"certificate '{certificate.Subject}' is a CA, not a node certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.ToLocalTime();
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(certificate)) return null;
        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') does not chain to the cluster CA: {status}";
    }

    /// <summary>The IP addresses and DNS names <paramref name="certificate"/> is issued for.</summary>
    public static (IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> Names) Hosts(X509Certificate2 certificate)
    {
        var addresses = new List<IPAddress>();
        var names = new List<string>();
        foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            addresses.AddRange(san.EnumerateIPAddresses());
            names.AddRange(san.EnumerateDnsNames());
        }

        return (addresses, names);
    }

    /// <summary>True when <paramref name="certificate"/> names <paramref name="host"/> (an IP address or a DNS name; case-insensitive).</summary>
    public static bool Names(X509Certificate2 certificate, string host)
    {
        var (addresses, names) = Hosts(certificate);
        if (IPAddress.TryParse(host, out var ip))
        {
            ip = Canonical(ip);
            return addresses.Any(a => Canonical(a).Equals(ip));
        }

        return names.Any(n => string.Equals(n, host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An IPv4 address carried as IPv6 (::ffff:a.b.c.d) as the IPv4 address it is.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
