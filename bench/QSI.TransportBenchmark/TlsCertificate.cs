using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QSI.Actors.Transfer.Streams;

namespace QSI.TransportBenchmark;

/// <summary>
/// The certificate both actor systems of the TLS path show each other: ECDSA P-256, as the
/// cluster's node certificates (<c>qsi certs</c>), written as a PKCS#12 file for Akka's HOCON.
/// Chain checks run once per connection, not per frame, so the path checks none.
/// </summary>
internal static class TlsCertificate
{
    /// <summary>The password of the file; it guards nothing, the file lives for one run.</summary>
    public const string Password = "bench";

    /// <summary>Writes a fresh certificate for 127.0.0.1 to a new file and returns its path.</summary>
    public static string Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=transport benchmark", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"qsi-transport-benchmark-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>The certificate at <paramref name="path"/>, with its key.</summary>
    public static X509Certificate2 Load(string path) => X509CertificateLoader.LoadPkcs12FromFile(path, Password);

    /// <summary>
    /// Mutual TLS for blob streams with the certificate at <paramref name="path"/>: like the Akka
    /// TLS path, it checks no chain (the cluster's door does, once per connection).
    /// </summary>
    public static StreamTls StreamTls(string path) => new(Load(path), (certificate, _, _, _, _) => certificate is not null, (_, _) => true);

    /// <summary>The HOCON that turns on mutual TLS with the certificate at <paramref name="path"/>.</summary>
    public static string Hocon(string path) => $$"""
        akka.remote.dot-netty.tcp {
          enable-ssl = true
          ssl {
            suppress-validation = true
            require-mutual-authentication = true
            certificate { path = "{{path.Replace("\\", "\\\\", StringComparison.Ordinal)}}", password = "{{Password}}" }
          }
        }
        """;
}
