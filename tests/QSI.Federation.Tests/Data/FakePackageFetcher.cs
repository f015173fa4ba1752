using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

/// <summary>Serves a prepared tarball instead of asking npm, and records how often it was asked.</summary>
internal sealed class FakePackageFetcher(byte[]? tarball, Exception? failure = null) : IPackageFetcher
{
    public int Calls { get; private set; }

    public string? LastSpec { get; private set; }

    public string FetchTarball(string packageSpec, string destinationDir)
    {
        Calls++;
        LastSpec = packageSpec;
        if (failure is not null)
        {
            throw failure;
        }

        var path = Path.Combine(destinationDir, "package.tgz");
        File.WriteAllBytes(path, tarball!);
        return path;
    }
}
