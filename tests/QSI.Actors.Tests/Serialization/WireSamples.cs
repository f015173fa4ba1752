using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Federation.Privacy.SecAgg;

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
        new Blobs.OpenStream(BlobId.New()),
        new Blobs.StreamTicket(BlobId.New(), "127.0.0.1", 40_123, Enumerable.Range(0, Blobs.TokenBytes).Select(k => (byte)(k * 7)).ToArray()),
        new Serving.RequestFrames("client-1", 7, 250),
        new Serving.FramesIssued(7, 3, [Offer(store), Offer(store)], store),
        new Serving.Refused(7, "no verifier has joined the cluster yet"),
        new Serving.Refused(8, "client client-1 was flagged by the verifier", Final: true),
        new Serving.Finished("client-1", 3),
        new Serving.Flagged("client-1", "the verifier flagged its light of request 3"),
        new Verification.Expect("client-1", 3, 99, 250, [Offer(store), Offer(store)], [1, 1], store, store, 1e-6, null),
        new Verification.Expect("client-1", 4, -77, 1, [Offer(store), Offer(store), Offer(store)], [6000, 6000, 6000], store, store, 1e-6, 12345),
        new Verification.Ready(3),
        new Verification.Unready(3, "reference download failed: store terminated"),
        new Verification.CheckQuery("client-1", 3, 17, [[1, 2, 3], [4, 5]]),
        new Verification.Verdict(3, 17, true, 0.9999, 1.02),
        new Verification.Rejected(3, 17, "query 17 of request 3 was already checked"),
        new Verification.Conclude(3, 99),
        new Verification.Finish(3, 99),
        new Verification.RecordRequest("client-1"),
        new Verification.Record("client-1", 250, 247, 1.0001, 0.98, true),
        new Verification.TaskVerdict(4, "client-1", -77, true, 1.0002, 0.998, 0.4, -0.3, null, true),
        new Verification.TaskVerdict(4, "client-1", -77, false, 0, 0, 0, 0, "query 0 of request 4 returned the light of 5999 uses of frame 0; 6000 were issued", false),
        new Training.Join("client-1", 5400, 600),
        new Training.Welcome("client-1", [784, 784, 10], false, false),
        new Training.JoinRefused("client-1", "another client named client-1 has joined"),
        new Training.Task(5, 3, Training.TaskKindCode.Fit, 1, 32, 0.1, 0.01, false, 5400, 1, [Offer(store), Offer(store), Offer(store)], store),
        new Training.Task(6, 3, Training.TaskKindCode.Evaluate, 1, 32, 0.1, 0, false, 600, 1, [Offer(store)], null),
        new Training.Update(5, "client-1", 5400, 0.183, Offer(store)),
        new Training.Evaluated(6, "client-1", 600, 581, 0.094),
        new Training.Declined(5, "client-1", "the task would take its data past its budget"),
        new Training.Failed(5, "client-1", "its light could not be pulled"),
        new Training.Finished(50, 0.978),
        new Training.Task(7, 3, Training.TaskKindCode.Fit, 2, 32, 0.1, 0, false, 5400, 2, [Offer(store)], null, SecureAggregation: true),
        new Training.Task(9, 3, Training.TaskKindCode.Fit, 2, 32, 0.1, 0, false, 5400, 2, [Offer(store)], null, SecureAggregation: true,
            Privacy: new QSI.Federation.Privacy.ClientPrivacy(0.5, 0.12)),
        new Training.Update(7, "client-1", 5400, 0.2, Offer(store), Masked: true),
        new Training.MaskingKey(7, "client-1", Keys(1)),
        new Training.MaskingKeys(7, 2, ["client-1", "client-2"], [Keys(1), Keys(2)]),
        new Training.KeyShares(7, "client-1", [new ShareEnvelope("client-1", "client-2", new byte[132])]),
        new Training.ForwardedShares(7, [new ShareEnvelope("client-2", "client-1", new byte[132]), new ShareEnvelope("client-3", "client-1", new byte[132])]),
        new Training.SignSurvivors(7, ["client-1", "client-2"]),
        new Training.SurvivorsSigned(7, "client-1", new byte[64]),
        new Training.RevealMasks(7, ["client-1", "client-2"], ["client-1", "client-2"], [new byte[64], new byte[64]]),
        new Training.MasksRevealed(7, "client-1", [new RevealedShare("client-1", ShareKind.SelfSeed, new byte[52]), new RevealedShare("client-3", ShareKind.MaskingKey, new byte[52])]),
    ];

    private static AdvertisedKeys Keys(byte first) =>
        new([first, .. new byte[90]], [(byte)(first + 1), .. new byte[90]], [(byte)(first + 2), .. new byte[90]]);

    private static Blobs.Offer Offer(IActorRef store) => new(BlobId.New(), "frame", 2_458_700, Blobs.MaxChunkSize, store);
}

/// <summary>A wire message nobody wrote a codec for.</summary>
public sealed record UncodedMessage(int Value) : IWireMessage;

/// <summary>A message that is not a wire message and has no binding.</summary>
public sealed record UnboundMessage(int Value);
