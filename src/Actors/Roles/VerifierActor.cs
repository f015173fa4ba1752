using Akka.Actor;
using Akka.Event;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Serving;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The verifier role: pulls the references of the light a server issues, checks each query's
/// returned light once, answers the client query by query and the server once per request with
/// the pooled verdict, and keeps a record per client. The checks live in <see cref="VerifierLedger"/>.
/// It takes orders only from a server (a member of role "server", or its own process), light only
/// from the member a request was issued to, and orders about a request only with its seal.
/// </summary>
public sealed class VerifierActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "verifier";

    /// <summary>How long after a client says it is done its light may still arrive before it is reported missing.</summary>
    public static readonly TimeSpan DefaultLightGrace = TimeSpan.FromSeconds(5);

    private readonly VerifierLedger _ledger;
    private readonly int _seed;
    private readonly TimeSpan _grace;
    private readonly Dictionary<long, Request> _requests = [];
    private readonly Dictionary<BlobId, long> _downloads = [];
    private readonly Dictionary<string, IActorRef> _members = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DroppedMessages _dropped;

    private sealed class Request(Verification.Expect expect, IActorRef replyTo, Pulls pulls)
    {
        public Verification.Expect Expect { get; } = expect;
        public IActorRef ReplyTo { get; } = replyTo;
        public Pulls Pulls { get; } = pulls;
        public bool Held { get; set; }
        public bool Concluded { get; set; }
        public NoiseSource? Noise { get; set; }
    }

    private sealed record LightOverdue(long RequestId) : INoSerializationVerificationNeeded;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A verifier keeping <paramref name="ledger"/>; requests with a noise stream draw their
    /// detector noise from streams of <paramref name="seed"/>; light reported done is awaited
    /// <paramref name="lightGrace"/> (default <see cref="DefaultLightGrace"/>).
    /// </summary>
    public static Props Props(VerifierLedger ledger, int seed = 0, TimeSpan? lightGrace = null) =>
        Akka.Actor.Props.Create(() => new VerifierActor(ledger, seed, lightGrace ?? DefaultLightGrace));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public VerifierActor(VerifierLedger ledger, int seed, TimeSpan lightGrace)
    {
        _ledger = ledger;
        _seed = seed;
        _grace = lightGrace;
        _dropped = new DroppedMessages(_log);
        Receive<Verification.Expect>(Expect);
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_downloads.Remove(failed.Offer.Id, out var id) && _requests.TryGetValue(id, out var request)) Fail(request, $"reference download failed: {failed.Reason}");
        });
        Receive<Verification.CheckQuery>(Check);
        Receive<Verification.Conclude>(conclude =>
        {
            if (Sealed(conclude.RequestId, conclude.Seal, "a conclude order") is not { Held: true, Concluded: false } request) return;
            if (_ledger.IsSettled(request.Expect.RequestId)) ConcludeNow(request);
            else Timers.StartSingleTimer(("overdue", request.Expect.RequestId), new LightOverdue(request.Expect.RequestId), _grace);
        });
        Receive<LightOverdue>(overdue =>
        {
            if (_requests.TryGetValue(overdue.RequestId, out var request) && !request.Concluded) ConcludeNow(request);
        });
        Receive<Verification.Finish>(finish =>
        {
            if (Sealed(finish.RequestId, finish.Seal, "a finish order") is not { } request) return;
            Drop(request);
        });
        Receive<Verification.RecordRequest>(asked =>
        {
            if (!_members.TryGetValue(asked.ClientId, out var member) || !member.Equals(Sender))
            {
                Warn(Sender, $"a record request for client {asked.ClientId} from {Sender.Path}, which is not that client");
                return;
            }
            var record = _ledger.Record(asked.ClientId);
            var pooled = _ledger.Pooled(asked.ClientId);
            Sender.Tell(new Verification.Record(asked.ClientId, record.Checks, record.Accepted,
                pooled?.Transmission ?? 0, pooled?.ExcessNoise ?? 0, pooled?.Accepted ?? false));
        });
    }

    private void Expect(Verification.Expect expect)
    {
        if (!ServerMembership.IsServer(Context.System, Sender))
        {
            Warn(Sender, $"references of request {expect.RequestId} offered by {Sender.Path}, which is not a server");
            return;
        }
        if (_requests.ContainsKey(expect.RequestId))
        {
            Sender.Tell(new Verification.Unready(expect.RequestId, $"request {expect.RequestId} is already expected"));
            return;
        }
        if (Handover.AllInProcess(expect.References))
        {
            // References shelved in this process by the server: taken as objects, never serialized.
            var shelved = _requests[expect.RequestId] = new Request(expect, Sender, new Pulls(Context, []));
            if (expect.References.Count != 1)
            {
                Fail(shelved, $"references handed over in process come as one offer; this request has {expect.References.Count}");
                return;
            }
            try
            {
                Hold(shelved, Handover.Of(Context.System).Take<FrameReference[]>(expect.References[0], Self));
            }
            catch (InvalidOperationException e)
            {
                Fail(shelved, e.Message);
            }
            return;
        }
        var pulls = new Pulls(Context, expect.References);
        var request = _requests[expect.RequestId] = new Request(expect, Sender, pulls);
        if (pulls.Problem is { } problem)
        {
            Fail(request, problem);
            return;
        }
        foreach (var offer in expect.References) _downloads[offer.Id] = expect.RequestId;
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (!_downloads.Remove(completed.Offer.Id, out var id) || !_requests.TryGetValue(id, out var request) || request.Pulls.Accept(completed) < 0) return;
        if (!request.Pulls.IsComplete) return;
        FrameReference[] references;
        try
        {
            references = request.Pulls.Payloads.Select(p => LightWire.DecodeReference(p)).ToArray();
        }
        catch (WireFormatException e)
        {
            Fail(request, e.Message);
            return;
        }
        Hold(request, references);
    }

    /// <summary>Takes the request's references into the ledger and tells the server the verifier is ready for its light.</summary>
    private void Hold(Request request, FrameReference[] references)
    {
        var expect = request.Expect;
        try
        {
            _ledger.Expect(expect.RequestId, expect.ClientId, expect.Queries, references, expect.Uses);
        }
        catch (Exception e) when (e is ProtocolViolation or ArgumentException)
        {
            Fail(request, e.Message);
            return;
        }
        request.Held = true;
        _members[expect.ClientId] = expect.Client;
        if (expect.NoiseStream is { } stream) request.Noise = NoiseSource.ForStream(_seed, stream);
        request.ReplyTo.Tell(new Verification.Ready(expect.RequestId));
    }

    private void Fail(Request request, string reason)
    {
        Drop(request);
        _log.Warning("request {0}: {1}", request.Expect.RequestId, reason);
        request.ReplyTo.Tell(new Verification.Unready(request.Expect.RequestId, reason));
    }

    private void Check(Verification.CheckQuery query)
    {
        if (!_requests.TryGetValue(query.RequestId, out var request) || !request.Held)
        {
            // Light of a finished or unknown request is not worth decoding.
            Sender.Tell(new Verification.Rejected(query.RequestId, query.Query, $"request {query.RequestId} is unknown or finished"));
            return;
        }
        var expect = request.Expect;
        if (!expect.Client.Equals(Sender) || expect.ClientId != query.ClientId)
        {
            Warn(Sender, $"light of request {query.RequestId} (client {expect.ClientId}) from {Sender.Path} naming client {query.ClientId}");
            return;
        }
        try
        {
            var residuals = query.Residuals.Select(payload => LightWire.DecodeReturnedLight(payload)).ToArray();
            var verdict = _ledger.Check(query.RequestId, query.ClientId, query.Query, residuals, request.Noise);
            Sender.Tell(new Verification.Verdict(query.RequestId, query.Query, verdict.Accepted, verdict.Transmission, verdict.ExcessNoise));
        }
        catch (WireFormatException e)
        {
            _ledger.Unreadable(query.RequestId, query.Query, e.Message);
            Sender.Tell(new Verification.Rejected(query.RequestId, query.Query, e.Message));
        }
        catch (ProtocolViolation e)
        {
            Sender.Tell(new Verification.Rejected(query.RequestId, query.Query, e.Message));
        }
        if (!request.Concluded && _ledger.IsSettled(query.RequestId)) ConcludeNow(request);
    }

    /// <summary>Tells the request's server what the verifier found of all its light, once.</summary>
    private void ConcludeNow(Request request)
    {
        var expect = request.Expect;
        request.Concluded = true;
        Timers.Cancel(("overdue", expect.RequestId));
        var found = _ledger.Conclude(expect.RequestId, expect.FalseAlarmRate);
        var verdict = found.Verdict;
        expect.Server.Tell(new Verification.TaskVerdict(expect.RequestId, expect.ClientId, expect.Seal, found.Accepted,
            verdict?.Transmission ?? 0, verdict?.ExcessNoise ?? 0, verdict?.TransmissionScore ?? 0, verdict?.ExcessNoiseScore ?? 0,
            found.Problem, found.Measured));
    }

    /// <summary>The held request an order is about, when the order carries its seal; otherwise the order is dropped.</summary>
    private Request? Sealed(long requestId, long seal, string what)
    {
        if (_requests.TryGetValue(requestId, out var request) && request.Expect.Seal == seal) return request;
        Warn(Sender, $"{what} about request {requestId} without its seal, from {Sender.Path}");
        return null;
    }

    private void Drop(Request request)
    {
        var id = request.Expect.RequestId;
        _requests.Remove(id);
        request.Pulls.Cancel();
        foreach (var offer in request.Expect.References) _downloads.Remove(offer.Id);
        Timers.Cancel(("overdue", id));
        _ledger.Finish(id);
    }

    private void Warn(IActorRef sender, string what) => _dropped.Drop(sender, what);
}
