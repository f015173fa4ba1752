using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace QSI.TransportBenchmark;

/// <summary>
/// Akka's log on standard error, one line per event without stack traces, so that standard
/// output stays the report (and the receiver's ready line) and a failure reads as a few lines.
/// </summary>
internal sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Which process is logging, in front of every line: "server" or "receiver".</summary>
    public static string Role { get; set; } = "server";

    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            var cause = e.Cause is null ? "" : $" ({FirstLine(e.Cause.Message)})";
            Console.Error.WriteLine($"{Role}: {e.LogLevel().ToString().Replace("Level", "")} {e.LogSource}: {FirstLine(e.Message?.ToString() ?? "")}{cause}");
        });
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
