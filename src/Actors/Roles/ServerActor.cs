using Akka.Actor;
using Akka.Event;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Serving;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The server role when serving a trained model: answers a client's request for frames by
/// encoding every layer (<see cref="FrameIssuer"/>, which charges the client's weight account),
/// offering the light to that client and the references to the verifier, and naming the
/// verifier once it holds them. The verifier's pooled verdict on each request comes back here:
/// a flagged client is told why and gets no more frames. Who may say what about a request is
/// <see cref="IssuedRequests{T}"/>'s rule, the same as in training.
/// </summary>
public sealed class ServerActor : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "server";

    private const double DefaultFlagFalseAlarm = 1e-6;

    private readonly FrameIssuer _issuer;
    private readonly double _flagFalseAlarm;
    private readonly IActorRef _store;
    private readonly IssuedRequests<Served> _requests;
    private readonly Dictionary<IActorRef, string> _clients = [];
    private readonly Dictionary<string, IActorRef> _names = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _verifier;

    /// <summary>What the server knows of a request in flight: whether the verifier concluded it and whether the client is done.</summary>
    private sealed class Served(long correlation)
    {
        public long Correlation { get; } = correlation;
        public bool Dispatched { get; set; }
        public bool Concluded { get; set; }
        public bool ClientDone { get; set; }
    }

    private sealed record IssueReady(long RequestId, Blobs.Offer[] Layers) : INoSerializationVerificationNeeded;

    private sealed record IssueFailed(long RequestId, string Reason) : INoSerializationVerificationNeeded;

    /// <summary>
    /// A server of <paramref name="issuer"/>'s model. With no <paramref name="verifier"/> it looks
    /// for one in the cluster (role "verifier"). A request whose pooled light fails the verifier's
    /// test at <paramref name="flagFalseAlarm"/> gets its client flagged.
    /// </summary>
    public static Props Props(FrameIssuer issuer, IActorRef? verifier = null, BlobStoreOptions? store = null, double flagFalseAlarm = DefaultFlagFalseAlarm) =>
        Akka.Actor.Props.Create(() => new ServerActor(issuer, verifier, store, flagFalseAlarm));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public ServerActor(FrameIssuer issuer, IActorRef? verifier, BlobStoreOptions? store, double flagFalseAlarm)
    {
        _issuer = issuer;
        _flagFalseAlarm = flagFalseAlarm;
        _requests = new IssuedRequests<Served>(_log);
        _store = Context.ActorOf(BlobStore.Props(store), BlobStore.Name);
        if (verifier is not null) UseVerifier(verifier);
        else Context.ActorOf(PeerLocator.Props("verifier", VerifierActor.Name, Self), "verifier-locator");

        Receive<PeerLocator.Found>(found => UseVerifier(found.Peer));
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Serving.RequestFrames>(Request);
        Receive<IssueReady>(ready =>
        {
            if (_requests.Find(ready.RequestId) is not { } issued) return;
            issued.State.Dispatched = true;
            issued.Client.Tell(new Serving.FramesIssued(issued.State.Correlation, issued.RequestId, ready.Layers, issued.Verifier!));
        });
        Receive<IssueFailed>(failed =>
        {
            if (_requests.Find(failed.RequestId) is not { } issued) return;
            _log.Warning("request {0} of client {1} failed: {2}", failed.RequestId, issued.ClientId, failed.Reason);
            Release(issued);
            Close(issued);
            issued.Client.Tell(new Serving.Refused(issued.State.Correlation, failed.Reason));
        });
        Receive<Serving.Finished>(finished =>
        {
            if (_requests.Reply(finished.RequestId, finished.ClientId, Sender, "a finish") is { State.ClientDone: false } issued) Done(issued);
        });
        Receive<Verification.TaskVerdict>(Concluded);
        Receive<Terminated>(OnTerminated);
    }

    private void Request(Serving.RequestFrames request)
    {
        var client = Sender;
        if (_names.TryGetValue(request.ClientId, out var owner) && !owner.Equals(client))
        {
            client.Tell(new Serving.Refused(request.Correlation, $"another client named {request.ClientId} is being served", Final: true));
            return;
        }
        if (_verifier is not { } verifier)
        {
            client.Tell(new Serving.Refused(request.Correlation, "no verifier has joined the cluster yet; ask again shortly"));
            return;
        }
        // A client holds one request at a time: asking again means it is done with the last one.
        if (_issuer.Holding(request.ClientId) is { } held && _requests.Find(held.RequestId) is { State.Dispatched: true } previous) Done(previous);
        IssuedFrames issued;
        try
        {
            issued = _issuer.Issue(request.ClientId, request.Queries);
        }
        catch (RequestRefused e)
        {
            client.Tell(new Serving.Refused(request.Correlation, e.Message, e.Final));
            return;
        }
        if (_clients.TryAdd(client, request.ClientId))
        {
            _names[request.ClientId] = client;
            Context.Watch(client);
        }
        var bound = _requests.Add(issued.RequestId, request.ClientId, client, verifier, new Served(request.Correlation));
        var lights = issued.Layers.Select(l => LightWire.Encode(l.Light)).ToArray();
        var references = issued.Layers.Select(l => LightWire.Encode(l.Reference)).ToArray();
        var (self, uses, flagRate) = (Self, issued.Layers.Select(_ => 1L).ToArray(), _flagFalseAlarm);
        var expect = (Blobs.Offer[] offers) => new Verification.Expect(request.ClientId, issued.RequestId, bound.Seal, issued.Queries, offers,
            uses, client, self, flagRate, null);
        Issue(issued.RequestId, client, verifier, lights, references, expect).PipeTo(Self);
    }

    /// <summary>Offers the light and the references, and waits for the verifier; runs off the actor's thread, on captured values only.</summary>
    private async Task<object> Issue(long requestId, IActorRef client, IActorRef verifier, byte[][] lights, byte[][] references,
        Func<Blobs.Offer[], Verification.Expect> expect)
    {
        try
        {
            var lightOffers = await LightDispatch.Offer(_store, lights, "frame", client);
            await LightDispatch.Expect(verifier, expect(await LightDispatch.Offer(_store, references, "reference", verifier)));
            return new IssueReady(requestId, lightOffers);
        }
        catch (InvalidOperationException e)
        {
            return new IssueFailed(requestId, e.Message);
        }
    }

    private void Concluded(Verification.TaskVerdict verdict)
    {
        if (_requests.Verdict(verdict, Sender) is not { } issued) return;
        issued.State.Concluded = true;
        if (!verdict.Accepted)
        {
            var reason = verdict.Problem is { } problem
                ? $"the verifier could not check its light of request {issued.RequestId}: {problem}"
                : $"the verifier flagged its light of request {issued.RequestId}: excess noise {verdict.ExcessNoise:G4} SNU ({verdict.ExcessNoiseScore:+0.0;-0.0} sd), transmission {verdict.Transmission:G4} ({verdict.TransmissionScore:+0.0;-0.0} sd)";
            _issuer.Flag(issued.ClientId, reason);
            _log.Warning("client {0} flagged: {1}", issued.ClientId, reason);
            issued.Client.Tell(new Serving.Flagged(issued.ClientId, reason));
        }
        if (issued.State.ClientDone) Close(issued);
    }

    /// <summary>
    /// The client is done with a request: it no longer holds it, and the verifier, unless it has
    /// concluded already, is asked to conclude (naming any light that never came).
    /// </summary>
    private void Done(IssuedRequests<Served>.Issued issued)
    {
        issued.State.ClientDone = true;
        Release(issued);
        if (!issued.State.Dispatched || issued.State.Concluded) Close(issued);
        else issued.Verifier!.Tell(new Verification.Conclude(issued.RequestId, issued.Seal));
    }

    /// <summary>The issuer forgets the request: the client may ask for more.</summary>
    private void Release(IssuedRequests<Served>.Issued issued)
    {
        try
        {
            _issuer.Finish(issued.RequestId, issued.ClientId);
        }
        catch (ProtocolViolation e)
        {
            _log.Warning("finish of request {0} refused: {1}", issued.RequestId, e.Message);
        }
    }

    /// <summary>The request is over: further messages about it are rejected, and the verifier drops its references.</summary>
    private void Close(IssuedRequests<Served>.Issued issued)
    {
        _requests.Remove(issued.RequestId);
        if (issued.State.Dispatched) issued.Verifier?.Tell(new Verification.Finish(issued.RequestId, issued.Seal));
    }

    private void UseVerifier(IActorRef verifier)
    {
        _verifier = verifier;
        Context.Watch(verifier);
        _log.Info("verifier {0} serves the clients' checks", verifier.Path);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_verifier))
        {
            _log.Warning("verifier {0} left; requests wait for another to join", terminated.ActorRef.Path);
            _verifier = null;
        }
        if (_clients.Remove(terminated.ActorRef, out var clientId))
        {
            _names.Remove(clientId);
            var dropped = _requests.All.Where(r => r.Client.Equals(terminated.ActorRef)).ToArray();
            foreach (var issued in dropped)
            {
                Release(issued);
                Close(issued);
            }
            _log.Info("client {0} left; dropped {1} outstanding request(s)", clientId, dropped.Length);
        }
        // Requests whose verifier left cannot be concluded: their clients will ask again.
        foreach (var orphan in _requests.All.Where(r => r.Verifier!.Equals(terminated.ActorRef)).ToArray())
        {
            if (!orphan.State.ClientDone) Release(orphan);
            Close(orphan);
        }
    }
}
