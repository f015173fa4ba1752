using Akka.Actor;
using QSI.Actors.Messages;

namespace QSI.Actors.Tests.Serialization;

/// <summary>One well-formed message of every wire type; a new message type needs a sample here.</summary>
internal static class WireSamples
{
    public static IReadOnlyList<object> All(IActorRef store) =>
    [
        new Blobs.Offer(BlobId.New(), "frame", 2_458_700, Blobs.MaxChunkSize, store),
        new Blobs.Pull(BlobId.New(), 12),
        new Blobs.Chunk(BlobId.New(), 3, Enumerable.Range(0, 100).Select(k => (byte)k).ToArray()),
        new Blobs.Unavailable(BlobId.New(), "unknown: never offered, expired, released or fully pulled"),
        new Blobs.Release(BlobId.New()),
        new Serving.RequestFrames("client-1", 7, 250),
        new Serving.FramesIssued(7, 3, [Offer(store), Offer(store)], store),
        new Serving.Refused(7, "no verifier has joined the cluster yet"),
        new Serving.Finished("client-1", 3),
        new Verification.ExpectFrames("client-1", 3, 250, [Offer(store), Offer(store)]),
        new Verification.Ready(3),
        new Verification.Unready(3, "reference download failed: store terminated"),
        new Verification.CheckQuery("client-1", 3, 17, [[1, 2, 3], [4, 5]]),
        new Verification.Verdict(3, 17, true, 0.9999, 1.02),
        new Verification.Rejected(3, 17, "query 17 of request 3 was already checked"),
        new Verification.Finish(3),
        new Verification.Forget("client-1"),
        new Verification.RecordRequest("client-1"),
        new Verification.Record("client-1", 250, 247, 1.0001, 0.98, true),
    ];

    private static Blobs.Offer Offer(IActorRef store) => new(BlobId.New(), "frame", 2_458_700, Blobs.MaxChunkSize, store);
}

/// <summary>A wire message nobody wrote a codec for.</summary>
public sealed record UncodedMessage(int Value) : IWireMessage;

/// <summary>A message that is not a wire message and has no binding.</summary>
public sealed record UnboundMessage(int Value);
