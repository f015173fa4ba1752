using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Protocol.Transport;
using QSI.Protocol.Verification;

namespace QSI.Actors.Roles;

/// <summary>
/// The server role of federated training (docs/ROLES.md): admits clients, runs the rounds of
/// <see cref="FederatedTraining"/>, hands each sampled client its task and its light (references
/// to the verifier), collects updates, evaluations and verdicts until every task is settled or
/// the deadline passes, and reports each completed round, with a checkpoint, to its observer.
/// </summary>
public sealed partial class TrainingServerActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "training-server";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan VerifierTimeout = TimeSpan.FromSeconds(60);

    private readonly FederatedTraining _training;
    private readonly IActorRef _observer;
    private readonly IActorRef _store;
    private readonly Dictionary<string, (ClientProfile Profile, IActorRef Actor)> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _byActor = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _roundClock = new();
    private IActorRef? _verifier;
    private Phase? _phase;
    private long _lastRequest;
    private bool _finished;

    private sealed class Phase(TaskKind kind, long id)
    {
        public TaskKind Kind { get; } = kind;
        public long Id { get; } = id;
        public Dictionary<long, TaskProgress> Tasks { get; } = [];
        public Dictionary<BlobId, (long RequestId, double TrainLoss, bool Masked)> Downloads { get; } = [];

        /// <summary>The phase's secure aggregation; null when updates travel unmasked.</summary>
        public MaskedAggregation? Masking { get; set; }
    }

    private sealed record Dispatched(long PhaseId, long RequestId) : INoSerializationVerificationNeeded;

    private sealed record DispatchFailed(long PhaseId, long RequestId, string Reason) : INoSerializationVerificationNeeded;

    private sealed record Deadline(long PhaseId) : INoSerializationVerificationNeeded;

    private sealed record KeyDeadline(long PhaseId) : INoSerializationVerificationNeeded;

    private sealed record RevealDeadline(long PhaseId) : INoSerializationVerificationNeeded;

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
    /// the run is secure.
    /// </summary>
    public static Props Props(FederatedTraining training, IActorRef observer, IActorRef? verifier = null, BlobStoreOptions? store = null) =>
        Akka.Actor.Props.Create(() => new TrainingServerActor(training, observer, verifier, store));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public TrainingServerActor(FederatedTraining training, IActorRef observer, IActorRef? verifier, BlobStoreOptions? store)
    {
        _training = training;
        _observer = observer;
        _store = Context.ActorOf(BlobStore.Props(store), BlobStore.Name);
        if (!training.Settings.Plain)
        {
            if (verifier is not null) UseVerifier(verifier);
            else Context.ActorOf(PeerLocator.Props("verifier", VerifierActor.Name, Self), "verifier-locator");
        }

        Receive<PeerLocator.Found>(found => UseVerifier(found.Peer));
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Training.Join>(Join);
        Receive<Dispatched>(_ => { });
        Receive<DispatchFailed>(failed => OnTask(failed.PhaseId, failed.RequestId, t => t.Left($"the server could not send it its task: {failed.Reason}")));
        Receive<Training.Update>(Update);
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_phase is not null && _phase.Downloads.Remove(failed.Offer.Id, out var pending))
                OnTask(_phase.Id, pending.RequestId, t => t.Left($"its update could not be pulled: {failed.Reason}"));
        });
        Receive<Training.Evaluated>(e => OnTask(_phase?.Id, e.RequestId, t =>
        {
            if (e.ClientId == t.ClientId && e.Samples == t.Samples) t.Evaluated(new Evaluation(e.Samples, e.Correct, e.Loss));
            else t.Left($"its evaluation named client {e.ClientId} and {e.Samples} samples");
        }));
        Receive<Training.Declined>(d => OnTask(_phase?.Id, d.RequestId, t => { if (d.ClientId == t.ClientId) t.Declined(d.Reason); }));
        Receive<Training.Failed>(f => OnTask(_phase?.Id, f.RequestId, t => { if (f.ClientId == t.ClientId) t.Left($"it failed: {f.Reason}"); }));
        Receive<Verification.TaskVerdict>(Verdict);
        Receive<Deadline>(deadline => { if (deadline.PhaseId == _phase?.Id) PhaseOver(); });
        Receive<Training.MaskingKey>(MaskingKey);
        Receive<KeyDeadline>(deadline => { if (deadline.PhaseId == _phase?.Id) RelayKeys(late: true); });
        Receive<Training.MasksRevealed>(Revealed);
        Receive<RevealDeadline>(deadline => { if (deadline.PhaseId == _phase?.Id) Unmask(); });
        Receive<Terminated>(OnTerminated);
    }

    /// <inheritdoc />
    protected override void PreStart() => Report();

    private void Join(Training.Join join)
    {
        string? problem = null;
        if (_finished) problem = "the training is over";
        else if (string.IsNullOrWhiteSpace(join.ClientId)) problem = "a client must have a name";
        else if (_members.TryGetValue(join.ClientId, out var member) && !member.Actor.Equals(Sender)) problem = $"another client named {join.ClientId} has joined";
        else if (join.TrainSamples < 1) problem = "a client needs at least one training sample";
        if (problem is not null)
        {
            Sender.Tell(new Training.JoinRefused(join.ClientId, problem));
            return;
        }
        _members[join.ClientId] = (new ClientProfile(join.ClientId, join.TrainSamples, join.EvaluationSamples), Sender);
        _byActor[Sender] = join.ClientId;
        Context.Watch(Sender);
        var shape = _training.Shape;
        Sender.Tell(new Training.Welcome(join.ClientId, shape.Sizes, shape.Bias, _training.Settings.Plain));
        _log.Info("client {0} joined with {1} training and {2} held-out samples", join.ClientId, join.TrainSamples, join.EvaluationSamples);
        Report();
        StartIfReady();
    }

    private void StartIfReady()
    {
        if (_phase is not null || _finished) return;
        if (_training.IsFinished)
        {
            Finish();
            return;
        }
        if (_members.Count < _training.Settings.MinAvailableClients || (!_training.Settings.Plain && _verifier is null)) return;
        _roundClock.Restart();
        StartPhase(TaskKind.Fit);
    }

    private void StartPhase(TaskKind kind)
    {
        var candidates = _members.Values.Where(m => m.Profile.SamplesFor(kind) > 0).Select(m => m.Profile.ClientId);
        var sampled = _training.Sample(kind, candidates);
        var phase = _phase = new Phase(kind, ++_lastRequest);
        var masked = kind == TaskKind.Fit && _training.Settings.SecureAggregation;
        _observer.Tell(new PhaseStarted(_training.Round, kind, sampled));
        foreach (var clientId in sampled)
        {
            var (profile, actor) = _members[clientId];
            var task = _training.Begin(profile, kind);
            var requestId = ++_lastRequest;
            phase.Tasks[requestId] = task;
            if (task.Issue is { } issue) Dispatch(phase.Id, requestId, issue, actor, _verifier, Self).PipeTo(Self);
            else _log.Info("round {0}: client {1} gets no {2} task: {3}", _training.Round, clientId, kind, task.Close(_training.Settings.RoundTimeout).Reason);
        }
        if (masked)
        {
            phase.Masking = new MaskedAggregation(phase.Tasks.Values.Where(t => t.Issue is not null).Select(t => t.ClientId));
            Timers.StartSingleTimer("keys", new KeyDeadline(phase.Id), StepTimeout);
        }
        Timers.StartSingleTimer("deadline", new Deadline(phase.Id), _training.Settings.RoundTimeout);
        CloseIfSettled();
    }


    /// <summary>Offers the task's light to the client and its references to the verifier, then sends the task; runs off the actor's thread.</summary>
    private async Task<object> Dispatch(long phaseId, long requestId, TaskIssue issue, IActorRef client, IActorRef? verifier, IActorRef self)
    {
        try
        {
            var payloads = issue.Light switch
            {
                OpticalTaskLight optical => optical.All.Select(LightWire.Encode).ToArray(),
                ClearTaskLight clear => [ModelParameters.Encode(clear.Parameters)],
                _ => throw new InvalidOperationException($"light of type {issue.Light.GetType().Name}"),
            };
            var light = await Task.WhenAll(payloads.Select(p => Publish(p, issue.Light is OpticalTaskLight ? "frame" : "parameters", client)));
            if (issue.References.Count > 0)
            {
                if (verifier is null) throw new InvalidOperationException("no verifier is in the federation");
                var references = await Task.WhenAll(issue.References.Select(r => Publish(LightWire.Encode(r), "reference", verifier)));
                var stream = RunSeeds.For(_training.Settings.Seed, RunSeeds.Purpose.Verifier, RunSeeds.StableHash(issue.ClientId), issue.Task.Round, (long)issue.Task.Kind);
                var answer = await verifier.Ask<object>(new Verification.ExpectTask(issue.ClientId, requestId, stream, _training.Settings.FalseAlarmRate, references, issue.Uses, self), VerifierTimeout);
                if (answer is Verification.Unready unready) throw new InvalidOperationException($"the verifier cannot take it: {unready.Reason}");
                if (answer is not Verification.Ready) throw new InvalidOperationException($"the verifier answered {answer.GetType().Name}");
            }
            var task = issue.Task;
            var plan = task.Plan;
            var masked = task.Kind == TaskKind.Fit && _training.Settings.SecureAggregation;
            client.Tell(new Training.Task(requestId, task.Round, (Training.TaskKindCode)task.Kind, plan.Epochs, plan.BatchSize, plan.LearningRate,
                plan.ProximalTerm, plan.SingleStep, task.Samples, task.Passes, light, issue.References.Count > 0 ? verifier : null, masked), self);
            return new Dispatched(phaseId, requestId);
        }
        catch (Exception e)
        {
            return new DispatchFailed(phaseId, requestId, e is AskTimeoutException ? "the verifier did not answer in time" : e.Message);
        }
    }

    private async Task<Blobs.Offer> Publish(byte[] payload, string kind, IActorRef puller) =>
        await _store.Ask<object>(new BlobStore.Publish(payload, kind, puller), PublishTimeout) switch
        {
            BlobStore.Published published => published.Offer,
            BlobStore.Refused refused => throw new InvalidOperationException($"the server cannot offer the {kind}: {refused.Reason}"),
            var other => throw new InvalidOperationException($"the blob store answered {other.GetType().Name}"),
        };

    private void Update(Training.Update update)
    {
        if (_phase is not { Kind: TaskKind.Fit } phase || !phase.Tasks.TryGetValue(update.RequestId, out var task) || task.IsSettled) return;
        if (update.ClientId != task.ClientId || update.Samples != task.Samples)
        {
            OnTask(phase.Id, update.RequestId, t => t.Left($"its update named client {update.ClientId} and {update.Samples} samples"));
            return;
        }
        if (update.Masked != (phase.Masking is not null))
        {
            OnTask(phase.Id, update.RequestId, t => t.Left(update.Masked ? "it masked an update that was to travel in the clear" : "it sent its update unmasked under secure aggregation"));
            return;
        }
        if (phase.Masking is { } masking && (!masking.KeysRelayed || !masking.Keys.ContainsKey(task.ClientId)))
        {
            OnTask(phase.Id, update.RequestId, t => t.Left("it sent a masked update without taking part in the key exchange"));
            return;
        }
        phase.Downloads[update.Delta.Id] = (update.RequestId, update.TrainLoss, update.Masked);
        Context.ActorOf(BlobDownload.Props(update.Delta, Self), BlobDownload.NameFor(update.Delta.Id));
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (_phase is not { } phase || !phase.Downloads.Remove(completed.Offer.Id, out var pending)) return;
        var (requestId, loss, masked) = pending;
        OnTask(phase.Id, requestId, task =>
        {
            try
            {
                if (masked) task.TrainedMasked(MaskedSum.Decode(completed.Payload, _training.Model.ParameterCount), loss);
                else task.Trained(new Federation.Strategies.ClientUpdate(task.ClientId, ModelParameters.Decode(completed.Payload, _training.Model.ParameterCount), task.Samples), loss);
            }
            catch (FormatException e)
            {
                task.Left($"its update is malformed: {e.Message}");
            }
        });
    }

    private void Verdict(Verification.TaskVerdict verdict) => OnTask(_phase?.Id, verdict.RequestId, task =>
    {
        if (verdict.ClientId != task.ClientId) return;
        if (verdict.Problem is { } problem) task.Unverifiable(problem, verdict.Measured);
        else task.Verified(new VerifierVerdict(verdict.Accepted, verdict.Transmission, verdict.ExcessNoise, verdict.TransmissionScore, verdict.ExcessNoiseScore));
    });

    /// <summary>Applies <paramref name="change"/> to a task of the current phase, then closes the phase if every task is settled.</summary>
    private void OnTask(long? phaseId, long requestId, Action<TaskProgress> change)
    {
        if (_phase is not { } phase || phase.Id != phaseId || !phase.Tasks.TryGetValue(requestId, out var task)) return;
        var wasSettled = task.IsSettled;
        change(task);
        if (!wasSettled && task.IsSettled)
        {
            _observer.Tell(new TaskSettled(_training.Round, phase.Kind, task.ClientId));
            // A client that is out before sending its key holds up no one's masks.
            if (phase.Masking is { KeysRelayed: false } masking && !task.WouldCount) masking.Excuse(task.ClientId);
        }
        if (phase.Masking is { KeysRelayed: false, KeysComplete: true }) RelayKeys(late: false);
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
        if (phase.Masking is not { } masking)
        {
            ClosePhase(null);
            return;
        }
        if (masking.Survivors is not null) return;
        if (!masking.KeysRelayed) RelayKeys(late: true);
        var survivors = masking.SetSurvivors(_training.Survivors([.. phase.Tasks.Values]));
        if (survivors.Count == 0)
        {
            ClosePhase(null);
            return;
        }
        foreach (var (requestId, task) in phase.Tasks.Where(t => survivors.Contains(t.Value.ClientId)))
            if (_members.TryGetValue(task.ClientId, out var member)) member.Actor.Tell(new Training.RevealMasks(requestId, survivors));
        Timers.StartSingleTimer("reveals", new RevealDeadline(phase.Id), StepTimeout);
    }

    private void ClosePhase(float[]? secureMean)
    {
        var phase = _phase!;
        _phase = null;
        Timers.Cancel("deadline");
        Timers.Cancel("keys");
        Timers.Cancel("reveals");
        foreach (var requestId in phase.Tasks.Where(t => t.Value.NeedsVerdict).Select(t => t.Key)) _verifier?.Tell(new Verification.Finish(requestId));
        foreach (var download in phase.Downloads.Keys) Context.Child(BlobDownload.NameFor(download)).Tell(PoisonPill.Instance);
        var tasks = phase.Tasks.Values.ToArray();
        if (phase.Kind == TaskKind.Fit)
        {
            var test = _training.CloseFit(tasks, secureMean);
            _log.Info("round {0}: test accuracy {1:P2}", _training.Round, test.Accuracy);
            StartPhase(TaskKind.Evaluate);
            return;
        }
        var record = _training.CloseRound(tasks, _roundClock.Elapsed);
        _observer.Tell(new RoundCompleted(record, _training.Checkpoint()));
        if (_training.IsFinished) Finish();
        else StartIfReady();
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
        if (terminated.ActorRef.Equals(_verifier))
        {
            _log.Warning("verifier {0} left; rounds wait for another to join", terminated.ActorRef.Path);
            _verifier = null;
            Report();
            return;
        }
        if (!_byActor.Remove(terminated.ActorRef, out var clientId)) return;
        _members.Remove(clientId);
        _verifier?.Tell(new Verification.Forget(clientId));
        _log.Info("client {0} left the federation", clientId);
        Report();
        if (_phase is { } phase)
            foreach (var (requestId, task) in phase.Tasks.Where(t => t.Value.ClientId == clientId).ToArray())
                OnTask(phase.Id, requestId, t => t.Left("it left the federation"));
    }

    private void Report() => _observer.Tell(new MembersChanged(_members.Count, _verifier is not null));
}
