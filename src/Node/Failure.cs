using QSI.Federation.Data;
using QSI.Federation.Models;

namespace QSI.Node;

/// <summary>
/// The one place that turns a failure into what the user sees: a single line
/// <c>qsi: error: MESSAGE</c> on stderr and an exit code. User mistakes never show a stack trace.
/// </summary>
internal static class Failure
{
    /// <summary>Reports a usage problem found while parsing the command line.</summary>
    public static int ReportUsage(Terminal terminal, string message)
    {
        WriteLine(terminal, message);
        return ExitCodes.Usage;
    }

    /// <summary>Reports a run that could not finish for a reason outside the user's flags (a peer left, none answered).</summary>
    public static int ReportFailure(Terminal terminal, string message)
    {
        WriteLine(terminal, message);
        return ExitCodes.Failure;
    }

    /// <summary>Reports a long run the user stopped, saying how to continue it.</summary>
    public static int Stopped(Terminal terminal, string message)
    {
        terminal.Error.WriteLine($"qsi: {message.ReplaceLineEndings(" ").Trim()}");
        return ExitCodes.Interrupted;
    }

    /// <summary>Reports an exception that escaped a command and returns the exit code for it.</summary>
    public static int Report(Terminal terminal, Exception exception)
    {
        if (IsUserMistake(exception))
        {
            WriteLine(terminal, exception.Message);
            return ExitCodes.Usage;
        }

        WriteLine(terminal, $"unexpected {exception.GetType().Name}: {exception.Message}");
        return ExitCodes.Failure;
    }

    /// <summary>Exceptions whose message already tells the user what to fix.</summary>
    private static bool IsUserMistake(Exception exception) =>
        exception is UserError or DatasetException or ModelFileException or Federation.Rounds.CheckpointException;

    private static void WriteLine(Terminal terminal, string message) =>
        terminal.Error.WriteLine($"qsi: error: {message.ReplaceLineEndings(" ").Trim()}");
}
