using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.Actors.Conversation;

/// <summary>
/// How a party hands light over (docs/TRANSPORT.md): it offers each payload from its store to the
/// one receiver that may pull it, and a server has the verifier take the references of a
/// request before the client hears of the request. Runs off the actor's thread, on captured
/// values only; failures are <see cref="InvalidOperationException"/>s whose message says why.
/// </summary>
internal static class LightDispatch
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan VerifierTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Offers every payload from <paramref name="store"/> to <paramref name="puller"/> alone.</summary>
    public static Task<Blobs.Offer[]> Offer(IActorRef store, IEnumerable<byte[]> payloads, string kind, IActorRef puller) =>
        Task.WhenAll(payloads.Select(payload => Offer(store, payload, kind, puller)));

    /// <summary>Offers <paramref name="payload"/> from <paramref name="store"/> to <paramref name="puller"/> alone.</summary>
    public static async Task<Blobs.Offer> Offer(IActorRef store, byte[] payload, string kind, IActorRef puller)
    {
        object answer;
        try
        {
            answer = await store.Ask<object>(new BlobStore.Publish(payload, kind, puller), PublishTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new InvalidOperationException($"the store did not take the {kind} in time");
        }
        return answer switch
        {
            BlobStore.Published published => published.Offer,
            BlobStore.Refused refused => throw new InvalidOperationException($"the {kind} cannot be offered: {refused.Reason}"),
            _ => throw new InvalidOperationException($"the blob store answered {answer.GetType().Name}"),
        };
    }

    /// <summary>Has <paramref name="verifier"/> take the references of <paramref name="expect"/>; returns once it holds them.</summary>
    public static async Task Expect(IActorRef verifier, Verification.Expect expect)
    {
        object answer;
        try
        {
            answer = await verifier.Ask<object>(expect, VerifierTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new InvalidOperationException("the verifier did not answer in time");
        }
        switch (answer)
        {
            case Verification.Ready ready when ready.RequestId == expect.RequestId:
                return;
            case Verification.Unready unready:
                throw new InvalidOperationException($"the verifier cannot take it: {unready.Reason}");
            default:
                throw new InvalidOperationException($"the verifier answered {answer.GetType().Name}");
        }
    }
}
