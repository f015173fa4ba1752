using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace QSI.Actors.Door;

/// <summary>
/// Downs every member that claims a role its certificate does not name (a client certificate
/// joining as "server"): it follows membership and, since a member's certificate is seen only
/// once a connection to it is made, looks again every <see cref="Recheck"/> at members still
/// unseen. Each downed member is logged once and counted; until it is gone, the checks of
/// <see cref="RoleAdmission"/> already refuse its claims.
/// </summary>
public sealed class DoorKeeper : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "door-keeper";

    /// <summary>How often members whose certificate is unseen are looked at again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private readonly HashSet<UniqueAddress> _downed = [];

    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>Members this node downed for a false role claim.</summary>
    public int Downed => _downed.Count;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The keeper's props.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new DoorKeeper());

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public DoorKeeper()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var admission = RoleAdmission.Get(Context.System);
        Receive<ClusterEvent.IMemberEvent>(_ => Check(cluster, admission));
        Receive<Tick>(_ => Check(cluster, admission));
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, Recheck);
    }

    /// <summary>The roles of <paramref name="member"/> that name a cluster role (Akka adds a data-centre role, dc-NAME, to every member).</summary>
    public static IEnumerable<string> ClaimedRoles(Member member) => member.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal));

    private void Check(Akka.Cluster.Cluster cluster, RoleAdmission admission)
    {
        foreach (var member in cluster.State.Members)
        {
            if (member.UniqueAddress.Equals(cluster.SelfUniqueAddress) || member.Status is MemberStatus.Down or MemberStatus.Removed) continue;
            if (_downed.Contains(member.UniqueAddress)) continue;
            var certified = admission.CertifiedRoles(member.Address);
            if (certified is null) continue;
            var claimed = ClaimedRoles(member).ToArray();
            var uncertified = claimed.Where(r => !certified.Contains(r)).ToArray();
            if (uncertified.Length == 0) continue;
            _downed.Add(member.UniqueAddress);
            Context.GetLogger().Warning(
                "door: member {0} claims roles [{1}] but its certificate names [{2}]; downing it (members downed by the door: {3})",
                member.Address, string.Join(", ", claimed.Order()), string.Join(", ", certified.Order()), _downed.Count);
            cluster.Down(member.Address);
        }
    }

    /// <inheritdoc />
    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
