using System.Diagnostics;
using System.Text;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// A real <c>qsi</c> process, run as <c>dotnet qsi.dll</c> from the test's output directory, with
/// both streams captured. Disposing kills it and its children if it is still running.
/// </summary>
internal sealed class QsiProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private QsiProcess(Process process)
    {
        _process = process;
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>qsi</c> with <paramref name="args"/> and none of the QSI_* variables of the test's
    /// environment; a role command runs behind the door, with a certificate of the test run's CA
    /// for its roles and host (<see cref="TestCertificates.WithDoor"/>).
    /// </summary>
    public static QsiProcess Start(params string[] args) => StartExactly(TestCertificates.WithDoor(args));

    /// <summary>Starts <c>qsi</c> with exactly <paramref name="args"/>.</summary>
    public static QsiProcess StartExactly(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qsi.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("QSI_", StringComparison.Ordinal)).ToArray()) info.Environment.Remove(name);

        var process = new Process { StartInfo = info };
        var qsi = new QsiProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (qsi._stdout) qsi._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (qsi._stderr) qsi._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return qsi;
    }

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitForStderr(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal)) return true;
            await Task.Delay(100);
        }

        return Stderr.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Asks the process to stop as Ctrl-C or a service manager would, with SIGTERM.</summary>
    public void Terminate()
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>Kills the process at once, as <c>kill -9</c> does: it leaves nothing behind it cleanly.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }

        _process.Dispose();
    }
}
