using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using QSI.Actors.Door;

namespace QSI.Actors.Roles;

/// <summary>
/// Finds the actor of another role in the cluster: follows membership, and when a member with
/// the role is up, resolves its actor by name and tells the owner; tells it too when that
/// member leaves. The owner also watches the peer, so a crashed process is noticed either way.
/// On a node with a TLS door, a peer whose certificate does not name the role is never found
/// (<see cref="RoleAdmission"/>); the check runs once the peer answered, when its certificate
/// has been seen.
/// </summary>
public sealed class PeerLocator : ReceiveActor
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A peer of the role was found.</summary>
    public sealed record Found(string Role, IActorRef Peer) : INoSerializationVerificationNeeded;

    /// <summary>The member that hosted the role's peer left the cluster.</summary>
    public sealed record Lost(string Role, Address Address) : INoSerializationVerificationNeeded;

    private sealed record Resolved(IActorRef? Peer, Address Address, string? Problem) : INoSerializationVerificationNeeded;

    /// <summary>Looks for the actor named <paramref name="actorName"/> on members with <paramref name="role"/>.</summary>
    public static Props Props(string role, string actorName, IActorRef owner) => Akka.Actor.Props.Create(() => new PeerLocator(role, actorName, owner));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public PeerLocator(string role, string actorName, IActorRef owner)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (!up.Member.HasRole(role)) return;
            var address = up.Member.Address;
            Context.ActorSelection(new RootActorPath(address) / "user" / actorName).ResolveOne(ResolveTimeout)
                .PipeTo(Self, success: peer => new Resolved(peer, address, null), failure: e => new Resolved(null, address, e.Message));
        });
        Receive<Resolved>(r =>
        {
            if (r.Peer is not null && RoleAdmission.Get(Context.System).MayHold(r.Address, role)) owner.Tell(new Found(role, r.Peer));
            else if (r.Peer is not null) Context.GetLogger().Warning("door: refused the {0} at {1}: its certificate does not name the role", role, r.Address);
            else Context.GetLogger().Warning("no {0} actor at {1}: {2}", role, r.Address, r.Problem);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.HasRole(role)) owner.Tell(new Lost(role, removed.Member.Address));
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    }

    /// <inheritdoc />
    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
