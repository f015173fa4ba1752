using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace QSI.TransportBenchmark;

/// <summary>Akka's log on standard error, so that standard output stays the report (and the receiver's ready line).</summary>
internal sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Which process is logging, in front of every line: "server" or "receiver".</summary>
    public static string Role { get; set; } = "server";

    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine($"{Role}: {e}"));
    }
}
