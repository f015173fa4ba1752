using System.Collections.Concurrent;
using Akka.Actor;

namespace QSI.Node.Runs;

/// <summary>
/// Hands what the federation's actors report (the server's rounds, the clients' ends) to the
/// command's own thread, which writes the run folder and draws the display: no file is written
/// on an actor's thread.
/// </summary>
internal sealed class RunEvents : ReceiveActor
{
    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public RunEvents(BlockingCollection<object> events) => ReceiveAny(events.Add);

    /// <summary>An actor that queues every message it receives on <paramref name="events"/>.</summary>
    public static Props Props(BlockingCollection<object> events) => Akka.Actor.Props.Create(() => new RunEvents(events));
}
