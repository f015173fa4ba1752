using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Roles;
using QSI.Federation.Data;
using QSI.Federation.Rounds;
using QSI.Node.Cluster;

namespace QSI.Node.Commands;

/// <summary>
/// One training client across the incarnations of its cluster node. A restarted seed node
/// (the server, killed and started again with <c>--resume</c>) forms a new cluster rather than
/// joining the old one, so a client whose server left cannot wait in the old cluster: it stops
/// its node, starts a new one that joins the seed nodes again, and takes part with the same
/// state (its leakage account) in whatever the server's next incarnation runs.
/// </summary>
internal sealed class TrainingSession(string clientId, LabeledImages train, LabeledImages heldOut, ClientOptions options)
{
    private static readonly TimeSpan LostGrace = TimeSpan.FromSeconds(3);
    private FederatedClient? _client;

    /// <summary>How one incarnation ended.</summary>
    public enum Outcome
    {
        /// <summary>The training is over (<see cref="Failure"/> says if the client gave up).</summary>
        Done,

        /// <summary>No server was in the cluster within the time given.</summary>
        NoServer,

        /// <summary>The server left, or the cluster downed this node: join again.</summary>
        ServerLost,

        /// <summary>The user stopped the client.</summary>
        Stopped,

        /// <summary>A TLS handshake with a peer failed, and the node shut down (<see cref="RoleNode.ShutByTheDoor"/>).</summary>
        RefusedAtTheDoor,
    }

    /// <summary>Tasks done over every incarnation.</summary>
    public int Tasks { get; private set; }

    /// <summary>Why the client gave up, when it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>The data leakage the client allowed, bits per element of its most exposed vector.</summary>
    public double DataBits { get; private set; }

    /// <summary>Starts a node, waits at most <paramref name="serverTimeout"/> for a server, and takes part until the training ends or the server leaves.</summary>
    public Outcome RunOnce(ClusterNodeOptions node, string? hocon, TimeSpan serverTimeout)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = RoleNode.Start(node, hocon, builder => builder.WithActors((system, _) => system.ActorOf(ServerWatch.Props(lost), ServerWatch.Name)));
        try
        {
            var system = ClusterNode.System(host);
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            if (!ClientCommand.WaitForServer(system, serverTimeout, stopping, lost.Task))
                return Ended(system, stopping, lost.Task) ?? Outcome.NoServer;

            var ended = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sink = system.ActorOf(Props.Create(() => new Sink(ended)), "client-report");
            system.ActorOf(TrainingClientActor.Props(clientId, train, heldOut, options, sink, new SemaphoreSlim(1), earlier: _client,
                keep: client => _client = client), TrainingClientActor.Name);
            // The incarnation ends with the client's end; or when its cluster lost the server
            // (the client's own DeathWatch says so too, unless it had not found the server yet);
            // or when the node is downed, and its system terminates.
            ServerWatch.WaitAny([ended.Task, system.WhenTerminated, lost.Task], stopping);
            if (lost.Task.IsCompleted) ServerWatch.WaitAny([ended.Task, Task.Delay(LostGrace)], stopping);
            if (!ended.Task.IsCompleted) return Ended(system, stopping, lost.Task) ?? Outcome.Stopped;

            switch (ended.Task.Result)
            {
                case TrainingClientActor.ServerLost left:
                    Tasks += left.Tasks;
                    return Outcome.ServerLost;
                case TrainingClientActor.Done done:
                    Tasks += done.Tasks;
                    Failure = done.Failure;
                    DataBits = done.DataBits;
                    return Outcome.Done;
                default:
                    throw new InvalidOperationException("a training client ends with Done or ServerLost");
            }
        }
        finally
        {
            RoleNode.Stop(host);
        }
    }

    /// <summary>
    /// Why an incarnation ended before the client did, if it did: the node was downed or its
    /// cluster lost the server (join again), or the user stopped it (a node that leaves sees
    /// every member removed, so the user's stop is asked first).
    /// </summary>
    private static Outcome? Ended(ActorSystem system, CancellationToken stopping, Task lost) =>
        RoleNode.ShutByTheDoor(system) ? Outcome.RefusedAtTheDoor
        : ServerWatch.Downed(system) ? Outcome.ServerLost
        : stopping.IsCancellationRequested ? Outcome.Stopped
        : lost.IsCompleted ? Outcome.ServerLost
        : null;

    /// <summary>Hands the incarnation's end to the waiting command.</summary>
    private sealed class Sink : ReceiveActor
    {
        public Sink(TaskCompletionSource<object> ended)
        {
            Receive<TrainingClientActor.ServerLost>(lost => ended.TrySetResult(lost));
            Receive<TrainingClientActor.Done>(done => ended.TrySetResult(done));
        }
    }
}
