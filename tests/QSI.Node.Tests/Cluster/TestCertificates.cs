using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using QSI.Node.Door;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// The test run's cluster CA, made once, and node certificates of it issued on demand (one per
/// roles and host), as PEM files in a folder removed when the test process exits; so every test
/// node runs behind the door as the product does.
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<(string Folder, X509Certificate2 Authority, string AuthorityPath)> Run = new(Create);
    private static readonly ConcurrentDictionary<string, string> Issued = new();

    /// <summary>The CA certificate file every honest test node trusts.</summary>
    public static string AuthorityPath => Run.Value.AuthorityPath;

    /// <summary>The run's CA, with its key, for tests that issue odd certificates of it.</summary>
    public static X509Certificate2 Authority => Run.Value.Authority;

    /// <summary>A fresh folder under the run's, for a test's own certificate files.</summary>
    public static string Folder(string name) => Directory.CreateDirectory(Path.Combine(Run.Value.Folder, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>The flags that give a node of <paramref name="roles"/> on <paramref name="host"/> its certificate and the CA.</summary>
    public static string[] Flags(string roles, string host) => ["--cert", Certificate(roles, host), "--ca", AuthorityPath];

    /// <summary>
    /// <paramref name="args"/> of a role command with the door's flags added, for the roles the
    /// command takes (a server's certificate names verifier too, for <c>--with-verifier</c>) and
    /// its <c>--host</c>; unchanged for other commands and for a command that names its own door.
    /// </summary>
    public static string[] WithDoor(string[] args)
    {
        if (args.Length == 0 || args.Any(a => a is "--insecure" or "--cert" or "--ca")) return args;
        var roles = args[0] switch
        {
            "server" => "server,verifier",
            "verifier" => "verifier",
            "client" => "client",
            _ => null,
        };
        if (roles is null) return args;
        var hostAt = Array.IndexOf(args, "--host");
        var host = hostAt >= 0 && hostAt + 1 < args.Length ? args[hostAt + 1] : "127.0.0.1";
        return [.. args, .. Flags(roles, host)];
    }

    /// <summary>Writes <paramref name="certificate"/> and its key into <paramref name="folder"/> as NAME.crt and NAME.key; returns the .crt path.</summary>
    public static string Write(X509Certificate2 certificate, string folder, string name)
    {
        var path = Path.Combine(folder, name + ".crt");
        NodeCertificateFiles.Write(certificate, path, Path.Combine(folder, name + ".key"));
        return path;
    }

    private static string Certificate(string roles, string host) => Issued.GetOrAdd($"{roles}@{host}", key =>
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = ClusterAuthority.Issue(Authority, key.Replace(',', '_').Replace('@', '-'), NodeRoles.Parse(roles), [host], now.AddMinutes(-5), now.AddDays(1));
        return Write(certificate, Run.Value.Folder, key.Replace(',', '_').Replace('@', '-'));
    });

    private static (string, X509Certificate2, string) Create()
    {
        var folder = Directory.CreateTempSubdirectory("qsi-test-door-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        var now = DateTimeOffset.UtcNow;
        var authority = ClusterAuthority.Create("qsi test CA", now.AddMinutes(-10), now.AddDays(2));
        var path = Path.Combine(folder, NodeCertificateFiles.AuthorityCertificate);
        NodeCertificateFiles.Write(authority, path, Path.Combine(folder, NodeCertificateFiles.AuthorityKey));
        return (folder, authority, path);
    }
}
