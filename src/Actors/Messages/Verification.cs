using Akka.Actor;

namespace QSI.Actors.Messages;

/// <summary>
/// The verifier's conversations: the server hands it the references of the light it issued to a
/// client, that client sends it the light it returned, and the verifier answers the client query
/// by query and the server once for the whole request (docs/ROLES.md). Every request carries a
/// seal that only the server and its verifier know: the server admits a verdict only with it, and
/// the verifier takes orders about a request only with it (docs/SECURITY.md).
/// </summary>
public static class Verification
{
    /// <summary>
    /// Server to verifier: pull these references (one per frame) of request <paramref name="RequestId"/>,
    /// issued to <paramref name="Client"/> (named <paramref name="ClientId"/>); the client returns the
    /// light of <paramref name="Uses"/>[l] uses of frame l in each of <paramref name="Queries"/>
    /// queries. Each query's verdict goes to the client; the verdict on the whole request, pooled and
    /// tested at <paramref name="FalseAlarmRate"/>, goes to <paramref name="Server"/> with
    /// <paramref name="Seal"/>. With a <paramref name="NoiseStream"/> the verifier draws its detector
    /// noise for the request from that stream of its seed, so a rerun checks alike.
    /// </summary>
    public sealed record Expect(string ClientId, long RequestId, long Seal, int Queries, IReadOnlyList<Blobs.Offer> References,
        IReadOnlyList<long> Uses, IActorRef Client, IActorRef Server, double FalseAlarmRate, long? NoiseStream) : IWireMessage;

    /// <summary>Verifier to server: the references of the request are held.</summary>
    public sealed record Ready(long RequestId) : IWireMessage;

    /// <summary>Verifier to server: the references could not be taken, and why.</summary>
    public sealed record Unready(long RequestId, string Reason) : IWireMessage;

    /// <summary>Client to verifier: the wire forms of the light one query returned, one per frame.</summary>
    public sealed record CheckQuery(string ClientId, long RequestId, int Query, IReadOnlyList<byte[]> Residuals) : IWireMessage;

    /// <summary>Verifier to client: the check of one query, at the verifier's own false-alarm rate.</summary>
    public sealed record Verdict(long RequestId, int Query, bool Accepted, double Transmission, double ExcessNoise) : IWireMessage;

    /// <summary>Verifier to client: a query that could not be checked, and why.</summary>
    public sealed record Rejected(long RequestId, int Query, string Reason) : IWireMessage;

    /// <summary>
    /// Verifier to server: the check of all the light of a request, pooled. <paramref name="Problem"/>
    /// says why the light could not be checked (missing, of the wrong frames or uses), and is null
    /// when it was; <paramref name="Measured"/> tells whether any light was measured (the client's data
    /// is then exposed). Admitted only from the verifier the server chose, with the request's seal.
    /// </summary>
    public sealed record TaskVerdict(long RequestId, string ClientId, long Seal, bool Accepted, double Transmission, double ExcessNoise,
        double TransmissionScore, double ExcessNoiseScore, string? Problem, bool Measured) : IWireMessage;

    /// <summary>
    /// Server to verifier: the client says it returned every query's light; if some has not come
    /// within a short grace, the verifier answers with a verdict naming the light that is missing.
    /// </summary>
    public sealed record Conclude(long RequestId, long Seal) : IWireMessage;

    /// <summary>Server to verifier: the request is over (finished, or its client left); its references can go.</summary>
    public sealed record Finish(long RequestId, long Seal) : IWireMessage;

    /// <summary>Client to verifier: its own record; answered only to the member the client's requests were issued to.</summary>
    public sealed record RecordRequest(string ClientId) : IWireMessage;

    /// <summary>Verifier's record of a client: checks, acceptances, and the pooled estimates over all its returned light.</summary>
    public sealed record Record(string ClientId, long Checks, long Accepted, double Transmission, double ExcessNoise, bool PooledAccepted) : IWireMessage;
}
