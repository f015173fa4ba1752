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
    ];
}

/// <summary>A wire message nobody wrote a codec for.</summary>
public sealed record UncodedMessage(int Value) : IWireMessage;

/// <summary>A message that is not a wire message and has no binding.</summary>
public sealed record UnboundMessage(int Value);
