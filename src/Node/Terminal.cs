using Spectre.Console;

namespace QSI.Node;

/// <summary>
/// Where a command writes: results (a table, or the JSON object) to standard output; progress,
/// log lines and errors to standard error, so <c>--json</c> output can be piped as is.
/// </summary>
internal sealed class Terminal
{
    private Terminal(TextWriter output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal)
    {
        Output = output;
        Error = error;
        Results = CreateConsole(output, outputIsTerminal);
        Status = CreateConsole(error, errorIsTerminal);
        ShowsLiveProgress = errorIsTerminal;
    }

    /// <summary>Standard output as plain text, for JSON.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error as plain text, for errors and log lines.</summary>
    public TextWriter Error { get; }

    /// <summary>Standard output for human-readable tables.</summary>
    public IAnsiConsole Results { get; }

    /// <summary>Standard error for progress bars.</summary>
    public IAnsiConsole Status { get; }

    /// <summary>
    /// True when standard error is a terminal, so progress can be redrawn in place; otherwise
    /// (a log file, a test) progress is a line per finished step.
    /// </summary>
    public bool ShowsLiveProgress { get; }

    /// <summary>The process's own console.</summary>
    public static Terminal ForConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    /// <summary>Plain writers with no colour and no live progress, as when both streams are redirected.</summary>
    public static Terminal ForWriters(TextWriter output, TextWriter error) => new(output, error, false, false);

    private static IAnsiConsole CreateConsole(TextWriter writer, bool isTerminal) =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
}
