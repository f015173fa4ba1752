using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Rounds;

namespace QSI.Actors.Roles;

/// <summary>
/// The server role of federated training (docs/ROLES.md): admits clients, runs the rounds of
/// <see cref="FederatedTraining"/>, hands each sampled client its task and its light (references
/// to the verifier), collects updates, evaluations and verdicts until every task is settled or
/// the deadline passes, and reports each completed round, with a checkpoint, to its observer.
/// Every reply and verdict is admitted by <see cref="IssuedRequests{T}"/>'s rule (who may say
/// what about which task), and what it rejects is counted in the round's record.
/// </summary>
/// <remarks>Partial files by concern: dispatch of tasks, the replies, secure aggregation.</remarks>
public sealed partial class TrainingServerActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "training-server";

    private readonly FederatedTraining _training;
    private readonly IActorRef _observer;
    private readonly IActorRef _store;
    private readonly Dictionary<string, (ClientProfile Profile, IActorRef Actor)> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _byActor = [];
    private readonly IssuedRequests<TaskProgress> _requests;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _roundClock = new();
    private readonly bool _inProcess;
    private readonly Action<TrainingCheckpoint>? _keep;
    private IActorRef? _verifier;
    private Phase? _phase;
    private bool _finished;
    private bool _begun;

    /// <summary>The phase in progress: its tasks by request id (those refused a task too), and the updates being pulled.</summary>
    private sealed class Phase(TaskKind kind, long id)
    {
        public TaskKind Kind { get; } = kind;
        public long Id { get; } = id;
        public Dictionary<long, TaskProgress> Tasks { get; } = [];
        public Dictionary<BlobId, PendingUpdate> Updates { get; } = [];

        /// <summary>What the phase shelved for actors of this process (<see cref="Handover"/>), dropped at its close if not taken.</summary>
        public List<Blobs.Offer> Shelved { get; } = [];


        /// <summary>The phase's secure aggregation; null when updates travel unmasked.</summary>
        public Federation.Privacy.SecAgg.SecAggServer? Masking { get; set; }
    }

    private sealed record PendingUpdate(long RequestId, double TrainLoss, bool Masked, Pulls Pull);

    private sealed record Deadline(long PhaseId) : INoSerializationVerificationNeeded;

    /// <summary>A phase began: the round, the kind and the clients sampled.</summary>
    public sealed record PhaseStarted(int Round, TaskKind Kind, IReadOnlyList<string> Clients) : INoSerializationVerificationNeeded;

    /// <summary>One sampled client's task was settled.</summary>
    public sealed record TaskSettled(int Round, TaskKind Kind, string ClientId) : INoSerializationVerificationNeeded;

    /// <summary>A round completed: its record, and the state to resume from.</summary>
    public sealed record RoundCompleted(RoundRecord Record, TrainingCheckpoint Checkpoint) : INoSerializationVerificationNeeded;

    /// <summary>Every round has run.</summary>
    public sealed record TrainingCompleted(IReadOnlyList<RoundRecord> History) : INoSerializationVerificationNeeded;

    /// <summary>A client joined or left; how many are in the federation now.</summary>
    public sealed record MembersChanged(int Clients, bool VerifierPresent) : INoSerializationVerificationNeeded;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A server running <paramref name="training"/>, reporting to <paramref name="observer"/>.
    /// With no <paramref name="verifier"/> it looks for one in the cluster (role "verifier"), when
    /// the run is secure. With <paramref name="inProcess"/> it hands the light, the references and
    /// the updates of parties in its own process over as objects (<see cref="Handover"/>) instead
    /// of serializing them for pulling; parties in other processes pull as always. <paramref name="keep"/>,
    /// if any, stores each completed round's checkpoint: the next round (or the clients' word that
    /// the training is over) waits for it, so that a server killed at any moment resumes from the
    /// last round it told anyone about.
    /// </summary>
    public static Props Props(FederatedTraining training, IActorRef observer, IActorRef? verifier = null, BlobStoreOptions? store = null, bool inProcess = false,
        Action<TrainingCheckpoint>? keep = null) =>
        Akka.Actor.Props.Create(() => new TrainingServerActor(training, observer, verifier, store, inProcess, keep));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public TrainingServerActor(FederatedTraining training, IActorRef observer, IActorRef? verifier, BlobStoreOptions? store, bool inProcess, Action<TrainingCheckpoint>? keep)
    {
        _inProcess = inProcess;
        _keep = keep;
        _training = training;
        _observer = observer;
        _requests = new IssuedRequests<TaskProgress>(_log);
        _store = Context.ActorOf(BlobStore.Props(store), BlobStore.Name);
        if (!training.Settings.Plain)
        {
            if (verifier is not null) UseVerifier(verifier);
            else Context.ActorOf(PeerLocator.Props("verifier", VerifierActor.Name, Self), "verifier-locator");
        }

        Receive<PeerLocator.Found>(found => UseVerifier(found.Peer));
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Training.Join>(Join);
        ReceiveDispatch();
        ReceiveReplies();
        ReceiveMasking();
        ReceiveWaiting();
        Receive<Deadline>(deadline => { if (deadline.PhaseId == _phase?.Id) PhaseOver(); });
        Receive<Terminated>(OnTerminated);
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        FollowReachability();
        Report();
    }

    private void Join(Training.Join join)
    {
        string? problem = null;
        if (_finished) problem = "the training is over";
        else if (string.IsNullOrWhiteSpace(join.ClientId)) problem = "a client must have a name";
        else if (_members.TryGetValue(join.ClientId, out var member) && !member.Actor.Equals(Sender) && !HeldByUnreachable(join.ClientId))
            problem = $"another client named {join.ClientId} has joined";
        else if (_byActor.TryGetValue(Sender, out var named) && named != join.ClientId) problem = $"this member has joined as {named}";
        else if (join.TrainSamples < 1) problem = "a client needs at least one training sample";
        if (problem is not null)
        {
            Sender.Tell(new Training.JoinRefused(join.ClientId, problem));
            return;
        }
        if (_members.TryGetValue(join.ClientId, out var unreachable) && !unreachable.Actor.Equals(Sender))
            Forget(unreachable.Actor, "its node became unreachable and a new process took its name");
        _members[join.ClientId] = (new ClientProfile(join.ClientId, join.TrainSamples, join.EvaluationSamples), Sender);
        _byActor[Sender] = join.ClientId;
        Context.Watch(Sender);
        var shape = _training.Shape;
        Sender.Tell(new Training.Welcome(join.ClientId, shape.Sizes, shape.Bias, _training.Settings.Plain));
        _log.Info("client {0} joined with {1} training and {2} held-out samples", join.ClientId, join.TrainSamples, join.EvaluationSamples);
        Report();
        StartIfReady();
    }

    /// <summary>
    /// Starts the next phase when it can. Before this server's first round --min-clients must
    /// have joined (and a verifier, in a secure run); after it, each phase starts with whoever
    /// is there, or waits (<see cref="TryStartPhase"/>).
    /// </summary>
    private void StartIfReady()
    {
        if (_phase is not null || _finished) return;
        if (_waiting is { Kind: var waitingFor })
        {
            TryStartPhase(waitingFor);
            return;
        }
        if (_training.IsFinished)
        {
            Finish();
            return;
        }
        if (!_begun && (_members.Count < _training.Settings.MinAvailableClients || (!_training.Settings.Plain && _verifier is null))) return;
        if (_training.StopsForPrivacyBudget(_members.Values.Count(m => m.Profile.TrainSamples > 0)))
        {
            _log.Info("{0}", _training.Stopped);
            Finish();
            return;
        }
        _begun = true;
        _roundClock.Restart();
        TryStartPhase(TaskKind.Fit);
    }

    private void StartPhase(TaskKind kind)
    {
        var sampled = _training.Sample(kind, Candidates(kind));
        var phase = _phase = new Phase(kind, Federation.Serving.RequestIds.Next());
        _observer.Tell(new PhaseStarted(_training.Round, kind, sampled));
        foreach (var clientId in sampled)
        {
            var (profile, actor) = _members[clientId];
            var task = _training.Begin(profile, kind);
            var requestId = Federation.Serving.RequestIds.Next();
            phase.Tasks[requestId] = task;
            if (task.Issue is { } issue) Dispatch(phase.Id, _requests.Add(requestId, clientId, actor, task.NeedsVerdict ? _verifier : null, task), issue);
            else _log.Info("round {0}: client {1} gets no {2} task: {3}", _training.Round, clientId, kind, task.Close(_training.Settings.RoundTimeout).Reason);
        }
        if (kind == TaskKind.Fit) _training.FitIssued(phase.Tasks.Values);
        if (kind == TaskKind.Fit && _training.Settings.SecureAggregation) StartMasking(phase);
        Timers.StartSingleTimer("deadline", new Deadline(phase.Id), _training.Settings.RoundTimeout);
        CloseIfSettled();
    }

    private void CloseIfSettled()
    {
        if (_phase is { } phase && phase.Masking?.Survivors is null && phase.Tasks.Values.All(t => t.IsSettled)) PhaseOver();
    }

    /// <summary>Every task is settled, or the deadline passed: close the phase, unmasking first under secure aggregation.</summary>
    private void PhaseOver()
    {
        if (_phase is not { } phase) return;
        if (phase.Masking is null) ClosePhase(null);
        else AskForReveals(phase);
    }

    private void ClosePhase(float[]? secureMean)
    {
        var phase = _phase!;
        _phase = null;
        Timers.Cancel("deadline");
        CancelMaskingTimers();
        foreach (var requestId in phase.Tasks.Keys)
            if (_requests.Remove(requestId) is { Verifier: { } verifier } issued) verifier.Tell(new Verification.Finish(requestId, issued.Seal));
        foreach (var pending in phase.Updates.Values) pending.Pull.Cancel();
        Handover.Of(Context.System).Drop(phase.Shelved);
        var tasks = phase.Tasks.Values.ToArray();
        if (phase.Kind == TaskKind.Fit)
        {
            var test = _training.CloseFit(tasks, secureMean);
            _log.Info("round {0}: test accuracy {1:P2}", _training.Round, test.Accuracy);
            TryStartPhase(TaskKind.Evaluate);
            return;
        }
        var record = _training.CloseRound(tasks, _roundClock.Elapsed, _requests.TakeRejected());
        var checkpoint = _training.Checkpoint();
        if (!Kept(checkpoint)) return;
        _observer.Tell(new RoundCompleted(record, checkpoint));
        if (_training.IsFinished) Finish();
        else StartIfReady();
    }

    /// <summary>Stores <paramref name="checkpoint"/> if the server keeps checkpoints; false, the run given up, when it cannot.</summary>
    private bool Kept(TrainingCheckpoint checkpoint)
    {
        try
        {
            _keep?.Invoke(checkpoint);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _finished = true;
            var reason = $"the checkpoint of round {checkpoint.CompletedRounds} could not be written: {e.Message}";
            _log.Error("the run stops: {0}", reason);
            _observer.Tell(new GaveUp(checkpoint.CompletedRounds, reason));
            return false;
        }
    }

    private void Finish()
    {
        _finished = true;
        var accuracy = _training.History.Count > 0 ? _training.History[^1].TestAccuracy : 0;
        foreach (var (_, actor) in _members.Values) actor.Tell(new Training.Finished(_training.CompletedRounds, accuracy));
        _observer.Tell(new TrainingCompleted(_training.History));
    }

    private void UseVerifier(IActorRef verifier)
    {
        _verifier = verifier;
        Context.Watch(verifier);
        _log.Info("verifier {0} checks the clients' light", verifier.Path);
        Report();
        StartIfReady();
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_verifier)) VerifierLeft(terminated.ActorRef);
        else Forget(terminated.ActorRef, "it left the federation");
    }

    private void Report() => _observer.Tell(new MembersChanged(_members.Count, _verifier is not null));
}
