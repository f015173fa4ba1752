using Akka.Actor;

namespace QSI.Actors.Messages;

/// <summary>
/// The conversation between a client and the server: the client asks for the light of a batch
/// of queries, the server issues one frame per layer (offered for pulling) and names the
/// verifier that will check the returned light. A client holds one request at a time.
/// </summary>
public static class Serving
{
    /// <summary>Client to server: frames for <paramref name="Queries"/> queries.</summary>
    public sealed record RequestFrames(string ClientId, long Correlation, int Queries) : IWireMessage;

    /// <summary>Server to client: one offer per layer, in layer order, and the verifier to send returned light to.</summary>
    public sealed record FramesIssued(long Correlation, long RequestId, IReadOnlyList<Blobs.Offer> Layers, IActorRef Verifier) : IWireMessage;

    /// <summary>
    /// Server to client: the request cannot be served, and why; <paramref name="Final"/> when asking
    /// again cannot help (the client was flagged, its budget is spent, the request breaks a limit).
    /// </summary>
    public sealed record Refused(long Correlation, string Reason, bool Final = false) : IWireMessage;

    /// <summary>Client to server: every query of the request has been sent for checking.</summary>
    public sealed record Finished(string ClientId, long RequestId) : IWireMessage;

    /// <summary>Server to client: the verifier flagged the client's light; no more frames will be issued to it, and why.</summary>
    public sealed record Flagged(string ClientId, string Reason) : IWireMessage;
}
