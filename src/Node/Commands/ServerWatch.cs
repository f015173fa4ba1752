using Akka.Actor;
using Akka.Cluster;

namespace QSI.Node.Commands;

/// <summary>
/// Tells a node (the verifier, a training client) that its cluster lost its server: the last
/// member of role "server" died and was downed and removed. A restarted server forms a new
/// cluster, so such a node must start a new incarnation that joins the seed nodes again.
/// </summary>
internal sealed class ServerWatch : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "server-watch";

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public ServerWatch(TaskCompletionSource lost)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // A server that left on its own (done, or stopped by its operator) was Exiting; one that died was downed.
            if (cluster.SelfMember.Status == MemberStatus.Up && removed.PreviousStatus == MemberStatus.Down && removed.Member.HasRole("server") && !cluster.State.Members.Any(m => m.HasRole("server") && m.Status == MemberStatus.Up && !m.Equals(removed.Member)))
                lost.TrySetResult();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    /// <summary>A watch completing <paramref name="lost"/> when the server is gone.</summary>
    public static Props Props(TaskCompletionSource lost) => Akka.Actor.Props.Create(() => new ServerWatch(lost));

    /// <summary>True when the split-brain resolver downed the node (its side of a partition lost), so that its system shut down.</summary>
    public static bool Downed(ActorSystem system) => CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;

    /// <summary>Waits until one of <paramref name="tasks"/> completes or <paramref name="stopping"/> is signalled.</summary>
    public static void WaitAny(Task[] tasks, CancellationToken stopping)
    {
        try
        {
            Task.WaitAny(tasks, stopping);
        }
        catch (OperationCanceledException)
        {
            // The user stopped the node; the caller tells why it ended.
        }
    }
}
