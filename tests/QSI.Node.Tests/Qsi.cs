using System.Text.Json;

namespace QSI.Node.Tests;

/// <summary>What one in-process run of <c>qsi</c> produced.</summary>
internal sealed record QsiRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as the JSON object a <c>--json</c> run writes.</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The non-empty lines of stderr.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs the command line in-process, capturing both streams.</summary>
internal static class Qsi
{
    public static QsiRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = QsiApp.Run(args, stdout, stderr);
        return new QsiRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Asserts a usage failure: exit 2 and exactly one line on stderr, <c>qsi: error: ...</c>, so no
    /// stack trace and no help dump; returns that line.
    /// </summary>
    public static string AssertUsageError(QsiRun run)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("qsi: error: ", line);
        return line;
    }
}
