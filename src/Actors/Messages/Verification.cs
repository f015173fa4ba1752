using Akka.Actor;

namespace QSI.Actors.Messages;

/// <summary>
/// The verifier's conversations: the server hands it the references of the frames it issued,
/// clients send it the light each query returned, and it answers with a verdict per query.
/// </summary>
public static class Verification
{
    /// <summary>Server to verifier: pull these references (one per layer) for a client's request.</summary>
    public sealed record ExpectFrames(string ClientId, long RequestId, int Queries, IReadOnlyList<Blobs.Offer> References) : IWireMessage;

    /// <summary>Verifier to server: the references of the request are held.</summary>
    public sealed record Ready(long RequestId) : IWireMessage;

    /// <summary>Verifier to server: the references could not be taken, and why.</summary>
    public sealed record Unready(long RequestId, string Reason) : IWireMessage;

    /// <summary>Client to verifier: the wire forms of the light one query returned, one per layer.</summary>
    public sealed record CheckQuery(string ClientId, long RequestId, int Query, IReadOnlyList<byte[]> Residuals) : IWireMessage;

    /// <summary>Verifier to client: the check of one query.</summary>
    public sealed record Verdict(long RequestId, int Query, bool Accepted, double Transmission, double ExcessNoise) : IWireMessage;

    /// <summary>Verifier to client: a query that could not be checked, and why.</summary>
    public sealed record Rejected(long RequestId, int Query, string Reason) : IWireMessage;

    /// <summary>
    /// Server to verifier: pull these references of a client's training task; the client returns
    /// the light of <paramref name="Uses"/>[l] uses of frame l as query 0 of the request, and the
    /// verdict goes to <paramref name="Server"/> as a <see cref="TaskVerdict"/>, tested at the server's
    /// <paramref name="FalseAlarmRate"/>. The verifier draws its detector noise for the check from
    /// stream <paramref name="NoiseStream"/> of its seed, so a rerun checks alike.
    /// </summary>
    public sealed record ExpectTask(string ClientId, long RequestId, long NoiseStream, double FalseAlarmRate,
        IReadOnlyList<Blobs.Offer> References, IReadOnlyList<long> Uses, IActorRef Server) : IWireMessage;

    /// <summary>
    /// Verifier to server: the check of a training task's light. <paramref name="Problem"/> says
    /// why the light could not be checked (missing uses, wrong frames), and is null when it was;
    /// <paramref name="Measured"/> tells whether the light was measured (its data is then exposed).
    /// </summary>
    public sealed record TaskVerdict(long RequestId, string ClientId, bool Accepted, double Transmission, double ExcessNoise,
        double TransmissionScore, double ExcessNoiseScore, string? Problem, bool Measured) : IWireMessage;

    /// <summary>Server to verifier: the request is over; its references can go.</summary>
    public sealed record Finish(long RequestId) : IWireMessage;

    /// <summary>Server to verifier: the client left the cluster; drop its requests.</summary>
    public sealed record Forget(string ClientId) : IWireMessage;

    /// <summary>Anyone to verifier: the record of a client.</summary>
    public sealed record RecordRequest(string ClientId) : IWireMessage;

    /// <summary>Verifier's record of a client: checks, acceptances, and the pooled estimates over all its returned light.</summary>
    public sealed record Record(string ClientId, long Checks, long Accepted, double Transmission, double ExcessNoise, bool PooledAccepted) : IWireMessage;
}
