using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace QSI.Node.Cluster;

/// <summary>
/// Akka's log, one line per event, on standard error: the default logger writes to standard
/// output, which belongs to the client's JSON report. Akka puts stack traces into some messages
/// (a peer that left, "Disassociated"); only their first line is kept.
/// </summary>
public sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Created by the ActorSystem from <c>akka.loggers</c>.</summary>
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(
            $"qsi: {e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToLowerInvariant()}: {e.LogSource}: {FirstLine(e.Message?.ToString())}"
            + (e.Cause is { } cause ? $" ({cause.GetType().Name}: {FirstLine(cause.Message)})" : "")));
    }

    private static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end].TrimEnd() + " …";
    }
}
