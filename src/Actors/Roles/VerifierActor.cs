using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Serving;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The verifier role: pulls the references of the frames the server issues, checks each query's
/// returned light once, answers the client with a verdict or a reason, and keeps a record per
/// client. The checks themselves live in <see cref="VerifierLedger"/>.
/// </summary>
public sealed class VerifierActor : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "verifier";

    private readonly VerifierLedger _ledger;
    private readonly int _seed;
    private readonly Dictionary<BlobId, (long RequestId, int Layer)> _downloads = [];
    private readonly Dictionary<long, Gathering> _gathering = [];
    private readonly Dictionary<long, TrainingCheck> _tasks = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private sealed record Gathering(Expectation Expected, IActorRef ReplyTo, FrameReference?[] References);

    /// <summary>What a request's references are for: a batch of queries, or a training task whose verdict goes to the server.</summary>
    private sealed record Expectation(string ClientId, long RequestId, int Queries, IReadOnlyList<Blobs.Offer> References, IReadOnlyList<long>? Uses, TrainingCheck? Task);

    private sealed record TrainingCheck(IActorRef Server, long NoiseStream, double FalseAlarmRate);

    /// <summary>
    /// A verifier keeping <paramref name="ledger"/>; the checks of training tasks draw their
    /// noise from streams of <paramref name="seed"/>.
    /// </summary>
    public static Props Props(VerifierLedger ledger, int seed = 0) => Akka.Actor.Props.Create(() => new VerifierActor(ledger, seed));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public VerifierActor(VerifierLedger ledger, int seed)
    {
        _ledger = ledger;
        _seed = seed;
        Receive<Verification.ExpectFrames>(e => Expect(new Expectation(e.ClientId, e.RequestId, e.Queries, e.References, null, null)));
        Receive<Verification.ExpectTask>(e => Expect(new Expectation(e.ClientId, e.RequestId, 1, e.References, e.Uses, new TrainingCheck(e.Server, e.NoiseStream, e.FalseAlarmRate))));
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_downloads.Remove(failed.Offer.Id, out var slot)) Fail(slot.RequestId, $"reference download failed: {failed.Reason}");
        });
        Receive<Verification.CheckQuery>(Check);
        Receive<Verification.Finish>(finish =>
        {
            _ledger.Finish(finish.RequestId);
            _tasks.Remove(finish.RequestId);
        });
        Receive<Verification.Forget>(forget =>
        {
            _ledger.Forget(forget.ClientId);
            foreach (var id in _tasks.Keys.Where(id => !_ledger.Expects(id)).ToArray()) _tasks.Remove(id);
            _log.Info("client {0} left; its requests are dropped", forget.ClientId);
        });
        Receive<Verification.RecordRequest>(request =>
        {
            var record = _ledger.Record(request.ClientId);
            var pooled = _ledger.Pooled(request.ClientId);
            Sender.Tell(new Verification.Record(request.ClientId, record.Checks, record.Accepted,
                pooled?.Transmission ?? 0, pooled?.ExcessNoise ?? 0, pooled?.Accepted ?? false));
        });
    }

    private void Expect(Expectation expected)
    {
        if (_ledger.Expects(expected.RequestId) || _gathering.ContainsKey(expected.RequestId))
        {
            Sender.Tell(new Verification.Unready(expected.RequestId, $"request {expected.RequestId} is already expected"));
            return;
        }
        _gathering[expected.RequestId] = new Gathering(expected, Sender, new FrameReference?[expected.References.Count]);
        for (var layer = 0; layer < expected.References.Count; layer++)
        {
            var offer = expected.References[layer];
            _downloads[offer.Id] = (expected.RequestId, layer);
            Context.ActorOf(BlobDownload.Props(offer, Self), BlobDownload.NameFor(offer.Id));
        }
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (!_downloads.Remove(completed.Offer.Id, out var slot) || !_gathering.TryGetValue(slot.RequestId, out var gathering)) return;
        try
        {
            gathering.References[slot.Layer] = LightWire.DecodeReference(completed.Payload);
        }
        catch (WireFormatException e)
        {
            Fail(slot.RequestId, e.Message);
            return;
        }
        if (gathering.References.Any(r => r is null)) return;
        _gathering.Remove(slot.RequestId);
        var expected = gathering.Expected;
        _ledger.Expect(expected.RequestId, expected.ClientId, expected.Queries, gathering.References!, expected.Uses);
        if (expected.Task is { } task) _tasks[expected.RequestId] = task;
        gathering.ReplyTo.Tell(new Verification.Ready(expected.RequestId));
    }

    private void Fail(long requestId, string reason)
    {
        if (!_gathering.Remove(requestId, out var gathering)) return;
        foreach (var id in _downloads.Where(d => d.Value.RequestId == requestId).Select(d => d.Key).ToArray()) _downloads.Remove(id);
        _log.Warning("request {0}: {1}", requestId, reason);
        gathering.ReplyTo.Tell(new Verification.Unready(requestId, reason));
    }

    private void Check(Verification.CheckQuery query)
    {
        if (!_ledger.Expects(query.RequestId))
        {
            // Light of a finished or unknown request is not worth decoding.
            Sender.Tell(new Verification.Rejected(query.RequestId, query.Query, $"request {query.RequestId} is unknown or finished"));
            return;
        }
        if (_tasks.TryGetValue(query.RequestId, out var task))
        {
            CheckTask(query, task);
            return;
        }
        try
        {
            var residuals = query.Residuals.Select(payload => LightWire.DecodeReturnedLight(payload)).ToArray();
            var verdict = _ledger.Check(query.RequestId, query.ClientId, query.Query, residuals);
            Sender.Tell(new Verification.Verdict(query.RequestId, query.Query, verdict.Accepted, verdict.Transmission, verdict.ExcessNoise));
        }
        catch (Exception e) when (e is ProtocolViolation or WireFormatException)
        {
            Sender.Tell(new Verification.Rejected(query.RequestId, query.Query, e.Message));
        }
    }

    /// <summary>Checks a training task's light with the task's own noise stream and tells the server.</summary>
    private void CheckTask(Verification.CheckQuery query, TrainingCheck task)
    {
        Verification.TaskVerdict answer;
        try
        {
            var residuals = query.Residuals.Select(payload => LightWire.DecodeReturnedLight(payload)).ToArray();
            var verdict = _ledger.Check(query.RequestId, query.ClientId, query.Query, residuals, NoiseSource.ForStream(_seed, task.NoiseStream), task.FalseAlarmRate);
            answer = new Verification.TaskVerdict(query.RequestId, query.ClientId, verdict.Accepted, verdict.Transmission, verdict.ExcessNoise,
                verdict.TransmissionScore, verdict.ExcessNoiseScore, null, Measured: true);
        }
        catch (Exception e) when (e is ProtocolViolation or WireFormatException)
        {
            answer = new Verification.TaskVerdict(query.RequestId, query.ClientId, false, 0, 0, 0, 0, e.Message, e is ProtocolViolation { LightMeasured: true });
        }
        task.Server.Tell(answer);
    }
}
