using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using QSI.Federation.Rounds;

namespace QSI.Actors.Roles;

/// <summary>
/// Faults: a phase that cannot begin (too few clients, no verifier) waits, says so once and
/// gives up after <see cref="FederationSettings.WaitTimeout"/>; a verifier that leaves takes
/// its unfinished checks with it (fail closed); and a client whose node is unreachable may be
/// replaced by a new process of the same name.
/// </summary>
public sealed partial class TrainingServerActor
{
    private readonly HashSet<Address> _unreachable = [];
    private (TaskKind Kind, string For)? _waiting;

    private sealed record WaitExpired(TaskKind Kind) : INoSerializationVerificationNeeded;

    /// <summary>A phase cannot begin: what it waits for, since when, and how long it will.</summary>
    public sealed record Waiting(int Round, TaskKind Kind, string For, DateTimeOffset Since, TimeSpan Timeout) : INoSerializationVerificationNeeded;

    /// <summary>The run cannot go on: a phase waited longer than its wait timeout.</summary>
    public sealed record GaveUp(int Round, string Reason) : INoSerializationVerificationNeeded;

    private void ReceiveWaiting()
    {
        Receive<WaitExpired>(expired =>
        {
            if (_waiting is not { } waiting || waiting.Kind != expired.Kind || _finished) return;
            _finished = true;
            var reason = $"round {_training.Round} waited {_training.Settings.WaitTimeout.TotalSeconds:0.#} s for {waiting.For} (--wait-timeout)";
            _log.Info("the run stops: {0}", reason);
            _observer.Tell(new GaveUp(_training.Round, reason));
        });
        Receive<ClusterEvent.UnreachableMember>(e => _unreachable.Add(e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => _unreachable.Remove(e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => _unreachable.Remove(e.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    /// <summary>Follows which members are unreachable, when the server is a cluster node.</summary>
    private void FollowReachability()
    {
        if (((ExtendedActorSystem)Context.System).Provider is not ClusterActorRefProvider) return;
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
    }

    /// <summary>Starts the phase of <paramref name="kind"/>, or waits for what it lacks.</summary>
    private void TryStartPhase(TaskKind kind)
    {
        if (Lacking(kind) is { } lacking)
        {
            if (_waiting?.Kind != kind)
            {
                var since = DateTimeOffset.UtcNow;
                _log.Info("round {0}: the {1} phase waits for {2}", _training.Round, kind, lacking);
                _observer.Tell(new Waiting(_training.Round, kind, lacking, since, _training.Settings.WaitTimeout));
                Timers.StartSingleTimer("wait", new WaitExpired(kind), _training.Settings.WaitTimeout);
            }
            _waiting = (kind, lacking);
            return;
        }
        if (_waiting is not null) Timers.Cancel("wait");
        _waiting = null;
        StartPhase(kind);
    }

    /// <summary>
    /// What a phase of <paramref name="kind"/> lacks to begin, or null: a verifier (a secure run
    /// checks every task), and for fit at least --min-fit-clients reachable clients with training
    /// data (no more than --min-clients, so that a federation that may start may go on).
    /// </summary>
    private string? Lacking(TaskKind kind)
    {
        var settings = _training.Settings;
        if (!settings.Plain && _verifier is null) return "a verifier";
        if (kind != TaskKind.Fit) return null;
        var needed = Math.Min(settings.MinFitClients, settings.MinAvailableClients);
        var present = Candidates(kind).Count();
        return present >= needed ? null : $"{needed - present} more client{(needed - present == 1 ? "" : "s")} to train ({present} of {needed})";
    }

    /// <summary>The reachable members that hold samples for a task of <paramref name="kind"/>.</summary>
    private IEnumerable<string> Candidates(TaskKind kind) => _members.Values
        .Where(m => m.Profile.SamplesFor(kind) > 0 && !_unreachable.Contains(m.Actor.Path.Address))
        .Select(m => m.Profile.ClientId);

    /// <summary>True when a client of this name is held by a member the cluster cannot reach: a new process may take the name over.</summary>
    private bool HeldByUnreachable(string clientId) =>
        _members.TryGetValue(clientId, out var member) && _unreachable.Contains(member.Actor.Path.Address);

    /// <summary>Forgets a client, settling its unfinished tasks as dropped out with <paramref name="reason"/>.</summary>
    private void Forget(IActorRef actor, string reason)
    {
        if (!_byActor.Remove(actor, out var clientId)) return;
        _members.Remove(clientId);
        Context.Unwatch(actor);
        _log.Info("client {0} is out of the federation: {1}", clientId, reason);
        Report();
        foreach (var issued in _requests.All.Where(r => r.Client.Equals(actor)).ToArray())
            Settle(issued, t => t.Left(reason));
    }

    /// <summary>The verifier left: no check it had not given a verdict on will come, so no such task's result is used.</summary>
    private void VerifierLeft(IActorRef verifier)
    {
        _log.Warning("verifier {0} left; its unfinished checks fail and phases wait for another verifier", verifier.Path);
        _verifier = null;
        Report();
        foreach (var issued in _requests.All.Where(r => verifier.Equals(r.Verifier) && !r.State.IsSettled).ToArray())
            Settle(issued, t => t.Left("its verifier left before its verdict; an unverified result is never used"));
    }
}
