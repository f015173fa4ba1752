using Akka.Actor;
using Akka.Event;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The client role of federated training (docs/ROLES.md): joins the server with its sample
/// counts, and for each task pulls the light, runs the task through <see cref="FederatedClient"/>
/// off the actor's thread, sends the returned light to the verifier and the result to the
/// server. It stops when the server says the training is over, or leaves.
/// </summary>
public sealed partial class TrainingClientActor : ReceiveActor, IWithTimers
{
    /// <summary>The conventional name of a process's only client under /user.</summary>
    public const string Name = "training-client";

    private readonly string _clientId;
    private readonly LabeledImages _train;
    private readonly LabeledImages _heldOut;
    private readonly ClientOptions _options;
    private readonly IActorRef _owner;
    private readonly SemaphoreSlim _compute;
    private readonly IActorRef _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DroppedMessages _dropped;
    private IActorRef? _server;
    private FederatedClient? _client;
    private readonly FederatedClient? _earlier;
    private readonly Action<FederatedClient>? _keep;
    private Current? _current;
    private Masking? _masking;
    private int _tasksDone;
    private List<IWireMessage> _sent = [];
    private List<IWireMessage> _sentBefore = [];

    private sealed class Current(Training.Task task, CancellationTokenSource cancel, Pulls light)
    {
        public Training.Task Task { get; } = task;
        public CancellationTokenSource Cancel { get; } = cancel;
        public Pulls Light { get; } = light;

        /// <summary>True when the light was handed over in this process; the update then goes back the same way.</summary>
        public bool InProcess => Handover.AllInProcess(Task.Light);
    }

    /// <summary>Updates this client shelved for its server, dropped if never taken.</summary>
    private readonly List<Blobs.Offer> _shelved = [];


    private sealed record Ran(long RequestId, ClientTaskResult? Result, string? Failure) : INoSerializationVerificationNeeded;

    private sealed record Offered(IWireMessage Message) : INoSerializationVerificationNeeded;

    private sealed record JoinTimedOut : INoSerializationVerificationNeeded;

    /// <summary>How long a client waits to be welcomed by a training server before it gives up.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The client finished: the server said the training is over (or it gave up, with a reason).
    /// <paramref name="DataBits"/> is the data leakage it allowed, bits per element of its most exposed vector.
    /// </summary>
    public sealed record Done(string ClientId, int Tasks, string? Failure, double DataBits) : INoSerializationVerificationNeeded;

    /// <summary>
    /// The server left before the training was over (its process died, or the cluster downed
    /// it). <paramref name="Client"/> is the client's state, its leakage account with it, for a
    /// client that joins the server's next incarnation; null if it never was welcomed.
    /// </summary>
    public sealed record ServerLost(string ClientId, int Tasks, FederatedClient? Client) : INoSerializationVerificationNeeded;

    /// <summary>
    /// A client <paramref name="clientId"/> of <paramref name="train"/> and <paramref name="heldOut"/>
    /// samples, reporting to <paramref name="owner"/>. Its local computations wait for
    /// <paramref name="compute"/>, which clients of one process share so that they take the
    /// processor in turn. With no <paramref name="server"/> it looks for one in the cluster.
    /// A client joining a server again passes its <paramref name="earlier"/> state, which it
    /// keeps if the server trains the same model (its data-leakage account must not restart);
    /// <paramref name="keep"/>, if any, is handed the state once the server welcomed the client.
    /// </summary>
    public static Props Props(string clientId, LabeledImages train, LabeledImages heldOut, ClientOptions options, IActorRef owner,
        SemaphoreSlim compute, IActorRef? server = null, FederatedClient? earlier = null, Action<FederatedClient>? keep = null) =>
        Akka.Actor.Props.Create(() => new TrainingClientActor(clientId, train, heldOut, options, owner, compute, server, earlier, keep));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public TrainingClientActor(string clientId, LabeledImages train, LabeledImages heldOut, ClientOptions options, IActorRef owner,
        SemaphoreSlim compute, IActorRef? server, FederatedClient? earlier, Action<FederatedClient>? keep)
    {
        _clientId = clientId;
        _earlier = earlier;
        _keep = keep;
        _dropped = new DroppedMessages(_log);
        _train = train;
        _heldOut = heldOut;
        _options = options;
        _owner = owner;
        _compute = compute;
        _store = Context.ActorOf(BlobStore.Props(), BlobStore.Name);
        Receive<PeerLocator.Found>(found => { if (_server is null) UseServer(found.Peer); });
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Training.Welcome>(welcome => { if (FromServer(welcome)) Welcome(welcome); });
        Receive<JoinTimedOut>(_ =>
        {
            if (_client is null)
                GiveUp($"no federated training welcomed it within {JoinTimeout.TotalSeconds:0} s (is the server 'qsi server --train'?)");
        });
        Receive<Training.JoinRefused>(refused => { if (FromServer(refused)) GiveUp($"the server refused it: {refused.Reason}"); });
        Receive<Training.Task>(task => { if (FromServer(task)) Start(task); });
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_current?.Light.Owns(failed.Offer) == true) Abandon($"its light could not be pulled: {failed.Reason}");
        });
        // The verifier copies each check to the client; the server acts on the verdict.
        Receive<Verification.Verdict>(_ => { });
        Receive<Verification.Rejected>(rejected => _log.Warning("client {0}: the verifier did not check the light of task {1}: {2}", _clientId, rejected.RequestId, rejected.Reason));
        Receive<Ran>(Finished);
        Receive<Offered>(offered => ToServer(offered.Message));
        ReceiveMasking();
        Receive<Training.Finished>(finished =>
        {
            if (!FromServer(finished)) return;
            _log.Info("client {0}: training finished after {1} rounds", _clientId, finished.Rounds);
            _owner.Tell(new Done(_clientId, _tasksDone, null, DataBits));
            Context.Stop(Self);
        });
        Receive<Terminated>(terminated =>
        {
            if (!terminated.ActorRef.Equals(_server)) return;
            _log.Info("client {0}: the server left the federation before the training was over", _clientId);
            _owner.Tell(new ServerLost(_clientId, _tasksDone, _client ?? _earlier));
            Context.Stop(Self);
        });
        if (server is not null) UseServer(server);
        else Context.ActorOf(PeerLocator.Props("server", TrainingServerActor.Name, Self), "server-locator");
    }

    /// <inheritdoc />
    protected override void PreStart() => Timers.StartSingleTimer("join", new JoinTimedOut(), JoinTimeout);

    /// <inheritdoc />
    protected override void PostStop()
    {
        _current?.Cancel.Cancel();
        _masking?.Secret.Dispose();
        DropShelved();
    }

    private void UseServer(IActorRef server)
    {
        _server = server;
        Context.Watch(server);
        server.Tell(new Training.Join(_clientId, _train.Count, _heldOut.Count));
    }

    private void Welcome(Training.Welcome welcome)
    {
        if (_client is not null) return;
        Timers.Cancel("join");
        var shape = new ModelShape([.. welcome.Sizes], welcome.Bias);
        if (_earlier is not null)
        {
            if (_earlier.Shape.Sizes.SequenceEqual(shape.Sizes) && _earlier.Shape.Bias == shape.Bias) _client = _earlier;
            else GiveUp($"the server it joined again trains another model ({string.Join('-', shape.Sizes)} instead of {string.Join('-', _earlier.Shape.Sizes)})");
            return;
        }
        try
        {
            _client = new FederatedClient(_clientId, shape, _train, _heldOut, _options);
            _keep?.Invoke(_client);
        }
        catch (ArgumentException e)
        {
            GiveUp($"it cannot train the server's model: {e.Message}");
        }
    }

    private void Start(Training.Task task)
    {
        if (_client is null) return;
        if (_current is not null)
        {
            _log.Warning("client {0}: task {1} arrived while task {2} was running; the older one is abandoned", _clientId, task.RequestId, _current.Task.RequestId);
            _current.Cancel.Cancel();
            _current.Light.Cancel();
        }
        DropShelved();
        if (Handover.AllInProcess(task.Light))
        {
            // Light handed over in this process: the client's own frames over the round's shared encodings, nothing to pull or decode.
            var local = _current = new Current(task, new CancellationTokenSource(), new Pulls(Context, []));
            StartMasking(task);
            TaskLight light;
            try
            {
                if (task.Light.Count != 1) throw new InvalidOperationException($"light handed over in process comes as one offer; this task has {task.Light.Count}");
                light = Handover.Of(Context.System).Take<TaskLight>(task.Light[0], Self);
            }
            catch (InvalidOperationException e)
            {
                Abandon($"its light could not be taken: {e.Message}");
                return;
            }
            Compute(local, shape => (RoundTaskOf(task), Checked(task, light, shape)));
            return;
        }
        var current = _current = new Current(task, new CancellationTokenSource(), new Pulls(Context, task.Light));
        StartMasking(task);
        if (current.Light.Problem is { } problem) Abandon(problem);
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (_current is not { } current || current.Light.Accept(completed) < 0 || !current.Light.IsComplete) return;
        Compute(current, shape => Decode(current.Task, current.Light.Payloads, shape));
    }

    /// <summary>Runs the current task off the actor's thread once the process's compute slot is free; the light is read only then.</summary>
    private void Compute(Current current, Func<ModelShape, (RoundTask, TaskLight)> light)
    {
        var task = current.Task;
        var client = _client!;
        var compute = _compute;
        var token = current.Cancel.Token;
        Task.Run(async () =>
        {
            await compute.WaitAsync(token);
            try
            {
                var (roundTask, taskLight) = light(client.Shape);
                return new Ran(task.RequestId, client.Run(roundTask, taskLight, token), null);
            }
            finally
            {
                compute.Release();
            }
        }, token).PipeTo(Self, failure: e => new Ran(task.RequestId, null, e is OperationCanceledException ? "cancelled" : e.Message));
    }

    private void DropShelved()
    {
        Handover.Of(Context.System).Drop(_shelved);
        _shelved.Clear();
    }

    private void Finished(Ran ran)
    {
        if (_current is not { } current || current.Task.RequestId != ran.RequestId) return;
        _current = null;
        if (ran.Result is not { } result)
        {
            if (ran.Failure == "cancelled") return;
            _log.Error("client {0}: task {1} failed: {2}", _clientId, ran.RequestId, ran.Failure);
            _server.Tell(new Training.Failed(ran.RequestId, _clientId, ran.Failure ?? "unknown"));
            return;
        }
        _tasksDone++;
        var task = current.Task;
        (_sentBefore, _sent) = (_sent, []);
        if (result.Declined is { } reason)
        {
            _log.Warning("client {0} declines round {1}: {2}", _clientId, task.Round, reason);
            ToServer(new Training.Declined(task.RequestId, _clientId, reason));
            return;
        }
        foreach (var forgery in result.Forgeries) Forge(forgery, task, result);
        if (task.Verifier is { } verifier && result.Residuals.Count > 0)
            verifier.Tell(new Verification.CheckQuery(_clientId, task.RequestId, 0, result.Residuals.Select(LightWire.Encode).ToArray()));
        if (result.Update is { } update)
        {
            var loss = result.TrainLoss ?? double.NaN;
            if (_masking is { } masking && masking.Secret.RequestId == task.RequestId)
            {
                masking.Trained = (update, loss);
                SendMasked();
            }
            else if (current.InProcess)
            {
                // The server handed its light over in this process: the update goes back the same way, as the values themselves.
                var offer = Handover.Of(Context.System).Shelve(update.Delta, "update", _server!, Self);
                _shelved.Add(offer);
                ToServer(new Training.Update(task.RequestId, _clientId, update.Samples, loss, offer));
            }
            else
            {
                Offer(task.RequestId, _clientId, update.Samples, loss, ModelParameters.Encode(update.Delta), masked: false);
            }
        }
        else if (result.Evaluation is { } evaluation)
        {
            ToServer(new Training.Evaluated(task.RequestId, _clientId, evaluation.Samples, evaluation.Correct, evaluation.Loss));
        }
    }

    /// <summary>Sends what a forging conduct (Federation's adversaries) asks for; the server must drop every one.</summary>
    private void Forge(Forgery forgery, Training.Task task, ClientTaskResult result)
    {
        switch (forgery)
        {
            case ClaimedVerdict:
                // It cannot know the seal the server shares with the verifier: it guesses one.
                _server.Tell(new Verification.TaskVerdict(task.RequestId, _clientId, Federation.Serving.RequestIds.Next(), true, 1, 1, 0, 0, null, true));
                break;
            case UpdateInTheNameOf(var victim) when result.Update is { } update:
                Offer(task.RequestId, victim, update.Samples, result.TrainLoss ?? double.NaN, ModelParameters.Encode(update.Delta), masked: false);
                break;
            case ReplayOfLastTask:
                foreach (var message in _sentBefore) _server.Tell(message);
                break;
        }
    }

    /// <summary>Tells the server <paramref name="message"/> about the current task, and keeps it (a forger replays it).</summary>
    private void ToServer(IWireMessage message)
    {
        _sent.Add(message);
        _server.Tell(message);
    }

    /// <summary>Publishes an update (plain or masked) for the server to pull and tells the server, naming <paramref name="clientId"/>.</summary>
    private void Offer(long requestId, string clientId, int samples, double loss, byte[] payload, bool masked)
    {
        LightDispatch.Offer(_store, payload, "update", _server!)
            .ContinueWith(t => new Offered(t.IsCompletedSuccessfully
                ? new Training.Update(requestId, clientId, samples, loss, t.Result, masked)
                : new Training.Failed(requestId, clientId, $"it could not offer its update: {t.Exception?.InnerException?.Message}")))
            .PipeTo(Self);
    }

    private void Abandon(string reason)
    {
        if (_current is not { } current) return;
        _log.Warning("client {0}: task {1} abandoned: {2}", _clientId, current.Task.RequestId, reason);
        current.Cancel.Cancel();
        current.Light.Cancel();
        _current = null;
        _server.Tell(new Training.Failed(current.Task.RequestId, _clientId, reason));
    }

    /// <summary>True when the message being handled comes from the client's server; anything else is dropped, logged once per sender.</summary>
    private bool FromServer(object message) => _dropped.From(_server, Sender, message);

    private double DataBits => _client?.Leakage.MaxDataBits(_clientId) ?? 0;

    private void GiveUp(string reason)
    {
        _log.Error("client {0} gives up: {1}", _clientId, reason);
        _owner.Tell(new Done(_clientId, _tasksDone, reason, DataBits));
        Context.Stop(Self);
    }
}
