using System.Diagnostics;
using System.Numerics.Tensors;
using Akka.Actor;
using Akka.Event;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The client role: classifies its own images through the server's frames, a batch at a time:
/// asks for frames, pulls each layer's light, runs every query of the batch through its device,
/// sends the returned light to the verifier and counts the verdicts. Counts are committed per
/// completed batch, so a batch cut short (the verifier left, a step timed out) is asked for
/// again without counting twice. Reports a <see cref="ClientReport"/> when done.
/// </summary>
public sealed class ClientActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "client";

    private const string StepTimer = "step";
    private readonly ClientSettings _settings;
    private readonly LabeledImages _images;
    private readonly IActorRef _reportTo;
    private readonly ClientDevice _device;
    private readonly NoiseSource _noise;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DroppedMessages _dropped;
    private IActorRef? _server;
    private IActorRef? _verifier;
    private Batch? _batch;
    private int _next, _correct, _failures, _modes;
    private double _photons, _channel = 1;
    private long _checks, _accepted, _rejected, _correlation;

    private sealed class Batch(long correlation, int start, int count)
    {
        public long Correlation { get; } = correlation;
        public int Start { get; } = start;
        public int Count { get; } = count;
        public long RequestId { get; set; } = -1;
        public IActorRef? Verifier { get; set; }
        public Pulls? Light { get; set; }
        public int Correct { get; set; }
        public int Sent { get; set; }
        public int Verdicts { get; set; }
        public int Accepted { get; set; }
        public int Rejected { get; set; }
    }

    private sealed record StepTimedOut(long Correlation) : INoSerializationVerificationNeeded;

    private sealed record Retry : INoSerializationVerificationNeeded;

    private sealed record RecordTimedOut : INoSerializationVerificationNeeded;

    /// <summary>The timers of the actor.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A client of <paramref name="images"/>; reports to <paramref name="reportTo"/>. With no
    /// <paramref name="server"/> it looks for one in the cluster (role "server").
    /// </summary>
    public static Props Props(ClientSettings settings, LabeledImages images, IActorRef reportTo, IActorRef? server = null) =>
        Akka.Actor.Props.Create(() => new ClientActor(settings, images, reportTo, server));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public ClientActor(ClientSettings settings, LabeledImages images, IActorRef reportTo, IActorRef? server)
    {
        _settings = settings;
        _images = images;
        _dropped = new DroppedMessages(_log);
        _reportTo = reportTo;
        _device = new ClientDevice(settings.Gain);
        _noise = NoiseSource.ForStream(settings.Seed, StableHash(settings.ClientId));
        Receive<PeerLocator.Found>(found => { if (_server is null) UseServer(found.Peer); });
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Serving.Refused>(refused =>
        {
            if (!From(_server, refused) || refused.Correlation != _batch?.Correlation) return;
            if (refused.Final) GiveUp($"the server refused it: {refused.Reason}");
            else Failed($"the server refused: {refused.Reason}");
        });
        Receive<Serving.Flagged>(flagged => { if (From(_server, flagged)) GiveUp($"the server flagged it: {flagged.Reason}"); });
        Receive<Serving.FramesIssued>(issued => { if (From(_server, issued)) Issued(issued); });
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_batch?.Light?.Owns(failed.Offer) == true) Failed($"frame download failed: {failed.Reason}");
        });
        Receive<Verification.Verdict>(verdict => { if (From(_batch?.Verifier, verdict)) Counted(verdict.RequestId, accepted: verdict.Accepted, rejected: false); });
        Receive<Verification.Rejected>(rejected =>
        {
            if (!From(_batch?.Verifier, rejected)) return;
            _log.Warning("query {0} of request {1} was not checked: {2}", rejected.Query, rejected.RequestId, rejected.Reason);
            Counted(rejected.RequestId, accepted: false, rejected: true);
        });
        Receive<StepTimedOut>(timeout => { if (timeout.Correlation == _batch?.Correlation) Failed("a step of the request timed out"); });
        Receive<Retry>(_ => RequestBatch());
        Receive<Verification.Record>(record => { if (From(_verifier, record)) Report(record); });
        Receive<RecordTimedOut>(_ =>
        {
            _log.Warning("the verifier sent no record of client {0}; reporting without its pooled estimates", _settings.ClientId);
            Report(new Verification.Record(_settings.ClientId, _checks, _accepted, 0, 0, false));
        });
        Receive<Terminated>(OnTerminated);
        if (server is not null) UseServer(server);
        else Context.ActorOf(PeerLocator.Props("server", ServerActor.Name, Self), "server-locator");
    }

    private void UseServer(IActorRef server)
    {
        _server = server;
        Context.Watch(server);
        RequestBatch();
    }

    private void RequestBatch()
    {
        var count = Math.Min(_settings.QueriesPerRequest, _images.Count - _next);
        if (count <= 0)
        {
            Finish();
            return;
        }
        _batch = new Batch(++_correlation, _next, count);
        Timers.StartSingleTimer(StepTimer, new StepTimedOut(_batch.Correlation), _settings.StepTimeout);
        _server!.Tell(new Serving.RequestFrames(_settings.ClientId, _batch.Correlation, count));
    }

    private void Issued(Serving.FramesIssued issued)
    {
        var batch = _batch;
        if (batch is null || issued.Correlation != batch.Correlation) return;
        batch.RequestId = issued.RequestId;
        batch.Verifier = issued.Verifier;
        _verifier = issued.Verifier;
        Context.Watch(issued.Verifier);
        batch.Light = new Pulls(Context, issued.Layers);
        if (batch.Light.Problem is { } problem) Failed(problem);
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (_batch is not { Light: { } light } batch || light.Accept(completed) < 0 || !light.IsComplete) return;
        CoherentFrame[] frames;
        try
        {
            frames = light.Payloads.Select(p => LightWire.DecodeFrame(p)).ToArray();
        }
        catch (WireFormatException e)
        {
            Failed(e.Message);
            return;
        }
        (_photons, _modes, _channel) = (frames[0].Photons, frames[0].Modes, frames[0].Transmission);
        Query(batch, frames);
    }

    /// <summary>Runs every query of the batch and sends the returned light for checking.</summary>
    private void Query(Batch batch, CoherentFrame[] frames)
    {
        var labels = _images.Labels.Span;
        for (var q = 0; q < batch.Count; q++)
        {
            var input = new float[_images.PixelsPerImage];
            _images.CopyNormalizedInput(batch.Start + q, input);
            var measurement = SecureQuery.Run(frames, _device, input, _noise);
            if (TensorPrimitives.IndexOfMax(measurement.Outputs) == labels[batch.Start + q]) batch.Correct++;
            // A device that returned no light has nothing to be checked; the verifier will say so to the server.
            if (measurement.Residuals.Count == 0) continue;
            batch.Sent++;
            batch.Verifier.Tell(new Verification.CheckQuery(_settings.ClientId, batch.RequestId, q, measurement.Residuals.Select(LightWire.Encode).ToArray()));
        }
        if (batch.Sent == 0) Complete(batch);
    }

    private void Counted(long requestId, bool accepted, bool rejected)
    {
        var batch = _batch;
        if (batch is null || requestId != batch.RequestId) return;
        batch.Verdicts++;
        if (accepted) batch.Accepted++;
        if (rejected) batch.Rejected++;
        if (batch.Verdicts == batch.Sent) Complete(batch);
    }

    /// <summary>Every verdict of the batch is in: commit its counts and go on.</summary>
    private void Complete(Batch batch)
    {
        _correct += batch.Correct;
        _checks += batch.Verdicts - batch.Rejected;
        _accepted += batch.Accepted;
        _rejected += batch.Rejected;
        _next += batch.Count;
        _failures = 0;
        Timers.Cancel(StepTimer);
        _server.Tell(new Serving.Finished(_settings.ClientId, batch.RequestId));
        _reportTo.Tell(new ClientProgress(_settings.ClientId, _next, _images.Count));
        RequestBatch();
    }

    private void Failed(string reason)
    {
        var batch = _batch;
        _batch = null;
        Timers.Cancel(StepTimer);
        // Release what the server and the verifier hold for the abandoned request.
        if (batch is { RequestId: >= 0 }) _server?.Tell(new Serving.Finished(_settings.ClientId, batch.RequestId));
        batch?.Light?.Cancel();
        if (++_failures >= _settings.Attempts)
        {
            GiveUp($"{reason} ({_failures} attempts in a row)");
            return;
        }
        _log.Warning("queries {0}-{1}: {2}; asking again", _next, _next + (batch?.Count ?? 0) - 1, reason);
        Timers.StartSingleTimer("retry", new Retry(), _settings.RetryDelay);
    }

    private void Finish()
    {
        if (_verifier is null)
        {
            Report(new Verification.Record(_settings.ClientId, _checks, _accepted, 0, 0, false));
            return;
        }
        _verifier.Tell(new Verification.RecordRequest(_settings.ClientId));
        Timers.StartSingleTimer(StepTimer, new RecordTimedOut(), _settings.StepTimeout);
    }

    private void Report(Verification.Record record)
    {
        Timers.Cancel(StepTimer);
        _reportTo.Tell(new ClientReport(_settings.ClientId, _next, _correct, _checks, _accepted, _rejected,
            record.Transmission, record.ExcessNoise, record.PooledAccepted, _clock.Elapsed, null, _photons, _modes, _channel));
        Context.Stop(Self);
    }

    private void GiveUp(string reason)
    {
        _log.Error("client {0} gives up: {1}", _settings.ClientId, reason);
        _reportTo.Tell(new ClientReport(_settings.ClientId, _next, _correct, _checks, _accepted, _rejected, 0, 0, false, _clock.Elapsed, reason, _photons, _modes, _channel));
        Context.Stop(Self);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_server))
        {
            _server = null;
            GiveUp("the server left the cluster");
        }
        else if (terminated.ActorRef.Equals(_batch?.Verifier))
        {
            Failed($"the verifier {terminated.ActorRef.Path.Address} left before checking every query");
        }
    }

    /// <summary>True when the message being handled comes from <paramref name="party"/>; anything else is dropped, logged once per sender.</summary>
    private bool From(IActorRef? party, object message) => _dropped.From(party, Sender, message);

    /// <summary>A hash of the client id that is the same in every process (string.GetHashCode is not).</summary>
    private static long StableHash(string text) => text.Aggregate(17L, (h, c) => unchecked(h * 31 + c));
}
