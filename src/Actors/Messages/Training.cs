using Akka.Actor;
using QSI.Federation.Privacy.SecAgg;

namespace QSI.Actors.Messages;

/// <summary>
/// The conversation of federated training between the server and its clients (docs/ROLES.md):
/// a client joins with its sample counts; each round the server sends each sampled client a
/// task with the light it needs (frames of the global model, or its parameters for the plain
/// baseline), and the client answers with an update, an evaluation or a refusal.
/// </summary>
public static class Training
{
    /// <summary>Client to server: take part in the training with this much data.</summary>
    public sealed record Join(string ClientId, int TrainSamples, int EvaluationSamples) : IWireMessage;

    /// <summary>
    /// Server to client: joined. The model's architecture (all a client knows of it), and
    /// whether the run is the plain baseline.
    /// </summary>
    public sealed record Welcome(string ClientId, IReadOnlyList<int> Sizes, bool Bias, bool Plain) : IWireMessage;

    /// <summary>Server to client: the join is refused, and why.</summary>
    public sealed record JoinRefused(string ClientId, string Reason) : IWireMessage;

    /// <summary>
    /// Server to client: a task of a round. <paramref name="Light"/> holds one offer per frame,
    /// forward frames then transposed ones, each in layer order (or one offer of the parameters,
    /// for the plain baseline); the returned light goes to <paramref name="Verifier"/> as one
    /// <see cref="Verification.CheckQuery"/> of request <paramref name="RequestId"/>. With
    /// <paramref name="SecureAggregation"/> the client masks its update (<see cref="MaskingKey"/>);
    /// with <paramref name="Privacy"/> it first clips it and adds its share of the noise.
    /// </summary>
    public sealed record Task(
        long RequestId, int Round, TaskKindCode Kind, int Epochs, int BatchSize, double LearningRate, double ProximalTerm, bool SingleStep,
        int Samples, int Passes, IReadOnlyList<Blobs.Offer> Light, IActorRef? Verifier, bool SecureAggregation = false,
        Federation.Privacy.ClientPrivacy? Privacy = null) : IWireMessage;

    /// <summary>
    /// Client to server: the change of a fit task, offered for pulling from the client's store;
    /// <paramref name="Masked"/> when it is the masked fixed-point form of secure aggregation.
    /// </summary>
    public sealed record Update(long RequestId, string ClientId, int Samples, double TrainLoss, Blobs.Offer Delta, bool Masked = false) : IWireMessage;

    /// <summary>Client to server, secure aggregation round 0: its three public keys for the task (masking, sharing, signing), for the server to relay.</summary>
    public sealed record MaskingKey(long RequestId, string ClientId, AdvertisedKeys Keys) : IWireMessage;

    /// <summary>Server to client, round 1: the roster, every client of the phase that advertised keys, and the threshold t to share its secrets with.</summary>
    public sealed record MaskingKeys(long RequestId, int Threshold, IReadOnlyList<string> Clients, IReadOnlyList<AdvertisedKeys> Keys) : IWireMessage;

    /// <summary>Client to server, round 1: its shares of b_u and s_u^SK, one sealed envelope for every other client of the roster.</summary>
    public sealed record KeyShares(long RequestId, string ClientId, IReadOnlyList<ShareEnvelope> Envelopes) : IWireMessage;

    /// <summary>Server to client, round 2: the envelopes sealed for it by the clients that shared; it masks against them.</summary>
    public sealed record ForwardedShares(long RequestId, IReadOnlyList<ShareEnvelope> Envelopes) : IWireMessage;

    /// <summary>Server to client, round 3: the survivors, whose masked updates are summed; sign the list.</summary>
    public sealed record SignSurvivors(long RequestId, IReadOnlyList<string> Survivors) : IWireMessage;

    /// <summary>Client to server, round 3: its signature (d_u) over the survivor list.</summary>
    public sealed record SurvivorsSigned(long RequestId, string ClientId, byte[] Signature) : IWireMessage;

    /// <summary>Server to client, round 4: the survivors and every signature over the list; reveal the shares that remove the masks.</summary>
    public sealed record RevealMasks(long RequestId, IReadOnlyList<string> Survivors, IReadOnlyList<string> Signers, IReadOnlyList<byte[]> Signatures) : IWireMessage;

    /// <summary>Client to server, round 4: one share of every client it holds shares of, of b_v for a survivor and of s_v^SK for the others.</summary>
    public sealed record MasksRevealed(long RequestId, string ClientId, IReadOnlyList<RevealedShare> Shares) : IWireMessage;

    /// <summary>Client to server: the result of an evaluate task.</summary>
    public sealed record Evaluated(long RequestId, string ClientId, int Samples, int Correct, double Loss) : IWireMessage;

    /// <summary>Client to server: the client will not do the task (its data budget is spent), and why.</summary>
    public sealed record Declined(long RequestId, string ClientId, string Reason) : IWireMessage;

    /// <summary>Client to server: the client could not do the task (its light did not decode, its computation failed), and why.</summary>
    public sealed record Failed(long RequestId, string ClientId, string Reason) : IWireMessage;

    /// <summary>Server to client: the training is over; nothing more will be asked.</summary>
    public sealed record Finished(int Rounds, double TestAccuracy) : IWireMessage;

    /// <summary>The kinds of task, as they travel.</summary>
    public enum TaskKindCode
    {
        /// <summary>Train and upload the change.</summary>
        Fit = 0,

        /// <summary>Evaluate the global model on held-out samples.</summary>
        Evaluate = 1,
    }
}
