using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace QSI.Node.Door;

/// <summary>
/// The PEM files of the door: <c>ca.crt</c> and <c>ca.key</c> for the cluster CA, and
/// <c>NAME.crt</c> and <c>NAME.key</c> for each node. Keys are written only to new files,
/// readable by their owner alone; an existing file is never overwritten.
/// </summary>
internal static class NodeCertificateFiles
{
    /// <summary>File name of the CA certificate in a certificate directory.</summary>
    public const string AuthorityCertificate = "ca.crt";

    /// <summary>File name of the CA's private key in a certificate directory.</summary>
    public const string AuthorityKey = "ca.key";

    /// <summary>The key file that goes with certificate file <paramref name="certificatePath"/>: the same name ending in .key.</summary>
    public static string KeyBeside(string certificatePath) => Path.ChangeExtension(certificatePath, ".key");

    /// <summary>Writes <paramref name="certificate"/> and its private key as two new PEM files.</summary>
    /// <exception cref="UserError">Either file exists already, or cannot be written.</exception>
    public static void Write(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (File.Exists(path)) throw new UserError($"{path} exists already; remove it first or choose another name (keys are never overwritten)");
        }

        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(keyPath, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
                writer.WriteLine();
            }

            using (var stream = new FileStream(certificatePath, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(certificate.ExportCertificatePem());
                writer.WriteLine();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write {certificatePath} and {keyPath}: {e.Message}", e);
        }
    }

    /// <summary>Reads a certificate with its private key.</summary>
    /// <exception cref="UserError">A file is missing or is not PEM of a certificate and its key.</exception>
    public static X509Certificate2 ReadWithKey(string certificatePath, string keyPath, string what)
    {
        Require(certificatePath, what);
        Require(keyPath, $"the key of {what}");
        try
        {
            var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // A key loaded from PEM is ephemeral; a PKCS#12 round trip gives TLS a key it can always use.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new UserError($"{what} {certificatePath} with key {keyPath}: not a PEM certificate and matching private key ({e.Message})", e);
        }
    }

    /// <summary>Reads one or more CA certificates from a PEM bundle.</summary>
    /// <exception cref="UserError">The file is missing or holds no certificate.</exception>
    public static X509Certificate2Collection ReadAuthorities(string path)
    {
        Require(path, "CA certificate file");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new UserError($"CA certificate file {path}: not PEM certificates ({e.Message})", e);
        }

        return authorities.Count > 0 ? authorities : throw new UserError($"CA certificate file {path} holds no certificate");
    }

    private static void Require(string path, string what)
    {
        if (!File.Exists(path)) throw new UserError($"{what} {path} does not exist");
    }
}
