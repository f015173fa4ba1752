using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Serving;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// The server role: answers a client's request for frames by encoding every layer, offering
/// the light to that client and the references to the verifier, and naming the verifier once
/// it holds the references. It watches its clients: when one leaves, what was outstanding for
/// it is dropped, at the verifier too.
/// </summary>
public sealed class ServerActor : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "server";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan VerifierTimeout = TimeSpan.FromSeconds(60);

    private readonly FrameIssuer _issuer;
    private readonly IActorRef _store;
    private readonly Dictionary<IActorRef, string> _clients = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _verifier;

    private sealed record IssueReady(long Correlation, long RequestId, IActorRef Client, Blobs.Offer[] Layers, IActorRef Verifier) : INoSerializationVerificationNeeded;

    private sealed record IssueFailed(long Correlation, long RequestId, string ClientId, IActorRef Client, string Reason) : INoSerializationVerificationNeeded;

    /// <summary>
    /// A server of <paramref name="issuer"/>'s model. With no <paramref name="verifier"/> it looks
    /// for one in the cluster (role "verifier").
    /// </summary>
    public static Props Props(FrameIssuer issuer, IActorRef? verifier = null, BlobStoreOptions? store = null) =>
        Akka.Actor.Props.Create(() => new ServerActor(issuer, verifier, store));

    /// <summary>Use <see cref="Props"/>; public for Akka's reflection.</summary>
    public ServerActor(FrameIssuer issuer, IActorRef? verifier, BlobStoreOptions? store)
    {
        _issuer = issuer;
        _store = Context.ActorOf(BlobStore.Props(store), BlobStore.Name);
        if (verifier is not null) UseVerifier(verifier);
        else Context.ActorOf(PeerLocator.Props("verifier", VerifierActor.Name, Self), "verifier-locator");

        Receive<PeerLocator.Found>(found => UseVerifier(found.Peer));
        Receive<PeerLocator.Lost>(_ => { });
        Receive<Serving.RequestFrames>(Request);
        Receive<IssueReady>(ready => ready.Client.Tell(new Serving.FramesIssued(ready.Correlation, ready.RequestId, ready.Layers, ready.Verifier)));
        Receive<IssueFailed>(failed =>
        {
            _log.Warning("request {0} of client {1} failed: {2}", failed.RequestId, failed.ClientId, failed.Reason);
            TryFinish(failed.RequestId, failed.ClientId);
            failed.Client.Tell(new Serving.Refused(failed.Correlation, failed.Reason));
        });
        Receive<Serving.Finished>(finished =>
        {
            if (TryFinish(finished.RequestId, finished.ClientId)) _verifier?.Tell(new Verification.Finish(finished.RequestId));
        });
        Receive<Terminated>(OnTerminated);
    }

    private void Request(Serving.RequestFrames request)
    {
        var client = Sender;
        var verifier = _verifier;
        if (verifier is null)
        {
            client.Tell(new Serving.Refused(request.Correlation, "no verifier has joined the cluster yet; ask again shortly"));
            return;
        }
        IssuedFrames issued;
        try
        {
            issued = _issuer.Issue(request.ClientId, request.Queries);
        }
        catch (ProtocolViolation e)
        {
            client.Tell(new Serving.Refused(request.Correlation, e.Message));
            return;
        }
        if (_clients.TryAdd(client, request.ClientId)) Context.Watch(client);
        var lights = issued.Layers.Select(l => LightWire.Encode(l.Light)).ToArray();
        var references = issued.Layers.Select(l => LightWire.Encode(l.Reference)).ToArray();
        Issue(request, issued, client, verifier, lights, references).PipeTo(Self);
    }

    /// <summary>Offers the light and the references, and waits for the verifier; runs off the actor's thread, on captured values only.</summary>
    private async Task<object> Issue(Serving.RequestFrames request, IssuedFrames issued, IActorRef client, IActorRef verifier,
        byte[][] lights, byte[][] references)
    {
        try
        {
            var lightOffers = await Task.WhenAll(lights.Select(payload => Publish(payload, "frame", client)));
            var referenceOffers = await Task.WhenAll(references.Select(payload => Publish(payload, "reference", verifier)));
            var answer = await verifier.Ask<object>(
                new Verification.ExpectFrames(request.ClientId, issued.RequestId, issued.Queries, referenceOffers), VerifierTimeout);
            return answer switch
            {
                Verification.Ready => new IssueReady(request.Correlation, issued.RequestId, client, lightOffers, verifier),
                Verification.Unready unready => new IssueFailed(request.Correlation, issued.RequestId, request.ClientId, client, $"the verifier cannot take the request: {unready.Reason}"),
                _ => new IssueFailed(request.Correlation, issued.RequestId, request.ClientId, client, $"the verifier answered {answer.GetType().Name}"),
            };
        }
        catch (Exception e)
        {
            return new IssueFailed(request.Correlation, issued.RequestId, request.ClientId, client, e is AskTimeoutException ? "the verifier did not answer in time" : e.Message);
        }
    }

    private async Task<Blobs.Offer> Publish(byte[] payload, string kind, IActorRef puller) =>
        await _store.Ask<object>(new BlobStore.Publish(payload, kind, puller), PublishTimeout) switch
        {
            BlobStore.Published published => published.Offer,
            BlobStore.Refused refused => throw new InvalidOperationException($"the server cannot offer the {kind}: {refused.Reason}"),
            var other => throw new InvalidOperationException($"the blob store answered {other.GetType().Name}"),
        };

    private bool TryFinish(long requestId, string clientId)
    {
        try
        {
            _issuer.Finish(requestId, clientId);
            return true;
        }
        catch (ProtocolViolation e)
        {
            _log.Warning("finish of request {0} refused: {1}", requestId, e.Message);
            return false;
        }
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
            return;
        }
        if (_clients.Remove(terminated.ActorRef, out var clientId))
        {
            var dropped = _issuer.Forget(clientId);
            _verifier?.Tell(new Verification.Forget(clientId));
            _log.Info("client {0} left; dropped {1} outstanding request(s)", clientId, dropped.Count);
        }
    }
}
