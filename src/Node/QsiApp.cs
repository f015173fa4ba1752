using System.CommandLine;
using System.CommandLine.Invocation;
using QSI.Node.Commands;

namespace QSI.Node;

/// <summary>The <c>qsi</c> command line: builds the commands, parses, runs, and maps failures to exit codes.</summary>
internal static class QsiApp
{
    /// <summary>Runs <c>qsi</c> on the process's console.</summary>
    public static int Run(string[] args) => Run(args, Terminal.ForConsole());

    /// <summary>Runs <c>qsi</c> with the given output streams, as the tests do.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, Terminal.ForWriters(stdout, stderr));

    /// <summary>The command tree, with every command writing to <paramref name="terminal"/>.</summary>
    internal static RootCommand CreateRootCommand(Terminal terminal) =>
        new("Quantum-secure federated learning: leakage bounds, training, and secure inference over the optical protocol.")
        {
            new LeakageCommand(terminal),
            new TrainCommand(terminal),
            new InferCommand(terminal),
            new CurveCommand(terminal),
            new AttackCommand(terminal),
            new ServerCommand(terminal),
            new VerifierCommand(terminal),
            new CalibrateCommand(terminal),
            new ClientCommand(terminal),
            new SimulateCommand(terminal),
            new CertsCommand(terminal),
            new ImportCommand(terminal),
            new ExportCommand(terminal),
        };

    private static int Run(string[] args, Terminal terminal)
    {
        try
        {
            var parse = CreateRootCommand(terminal).Parse(args);
            if (parse.Action is ParseErrorAction)
            {
                return Failure.ReportUsage(terminal, ParseErrorMessage(parse));
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = terminal.Output,
                Error = terminal.Error,
                // Failures are reported by Failure, as one line; the default handler prints stack traces.
                EnableDefaultExceptionHandler = false,
                // Commands run to completion or are killed; there is no graceful-cancellation window to wait for.
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception exception)
        {
            return Failure.Report(terminal, exception);
        }
    }

    // System.CommandLine would print every error followed by the whole help text and exit 1;
    // we keep errors to one line (exit 2) and point at the help instead.
    private static string ParseErrorMessage(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var help = command is RootCommand ? "qsi --help" : $"qsi {command.Name} --help";
        var errors = string.Join("; ", parse.Errors.Select(error => error.Message.TrimEnd('.')).Distinct());
        return $"{errors} (see '{help}')";
    }
}
