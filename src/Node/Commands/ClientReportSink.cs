using Akka.Actor;
using QSI.Actors.Roles;

namespace QSI.Node.Commands;

/// <summary>Hands a client actor's progress and final report from the actor system to the waiting command.</summary>
internal sealed class ClientReportSink : ReceiveActor
{
    /// <summary>Calls <paramref name="progress"/> on every <see cref="ClientProgress"/> and completes <paramref name="report"/>.</summary>
    public static Props Props(Action<ClientProgress> progress, TaskCompletionSource<ClientReport> report) =>
        Akka.Actor.Props.Create(() => new ClientReportSink(progress, report));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public ClientReportSink(Action<ClientProgress> progress, TaskCompletionSource<ClientReport> report)
    {
        Receive<ClientProgress>(progress);
        Receive<ClientReport>(r =>
        {
            report.TrySetResult(r);
            Context.Stop(Self);
        });
    }
}
