using QSI.Federation.Privacy;

namespace QSI.Federation.Rounds;

/// <summary>What became of one sampled client in a phase of a round.</summary>
public enum ClientRoundStatus
{
    /// <summary>Its result was verified and used: its update aggregated, or its evaluation counted.</summary>
    Aggregated,

    /// <summary>The verifier found excess noise, a wrong transmission or missing light in what it returned; its result was discarded.</summary>
    Flagged,

    /// <summary>It missed the phase's deadline; its result, if any comes, is discarded.</summary>
    Straggler,

    /// <summary>It left the federation or failed during the phase.</summary>
    DroppedOut,

    /// <summary>Its weight-leakage budget is spent: the server issued it no frames.</summary>
    WeightBudgetSpent,

    /// <summary>Its data-leakage budget is spent: it declined to return residuals, so it did not take part.</summary>
    DataBudgetSpent,

    /// <summary>Its update was malformed, not finite, of the wrong shape or longer than the norm limit (<see cref="UpdateCheck"/>); the server discarded it.</summary>
    Rejected,
}

/// <summary>One sampled client's part in a phase of a round.</summary>
/// <param name="ClientId">The client's name.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Samples">Local samples its result covers (0 when it has none).</param>
/// <param name="Loss">Its mean local training loss (fit) or evaluation loss (evaluate), when it reported one.</param>
/// <param name="Accuracy">Accuracy of the global model on its held-out samples (evaluate), when it reported one.</param>
/// <param name="ExcessNoise">The verifier's eps-hat over the client's light of the phase (secure runs), SNU per row use.</param>
/// <param name="ExcessNoiseScore">eps-hat minus the honest eps0, in standard errors (secure runs).</param>
/// <param name="Transmission">The verifier's T-hat over the client's light of the phase (secure runs).</param>
/// <param name="WeightBitsPerWeight">Weight leakage charged to the client so far, bits per weight of its most exposed layer (secure runs).</param>
/// <param name="DataBits">Data leakage charged to the client so far, bits per element of its most exposed vector (secure runs).</param>
/// <param name="Reason">Why its result was not used, in a sentence; null when it was.</param>
public sealed record ClientRoundOutcome(
    string ClientId,
    ClientRoundStatus Status,
    int Samples,
    double? Loss,
    double? Accuracy,
    double? ExcessNoise,
    double? ExcessNoiseScore,
    double? Transmission,
    double? WeightBitsPerWeight,
    double? DataBits,
    string? Reason);

/// <summary>One round of federated training, as the metrics history records it.</summary>
/// <param name="Round">Round number, from 1.</param>
/// <param name="TestAccuracy">The server's digital evaluation of the round's new global model on its test set.</param>
/// <param name="TestLoss">Mean cross-entropy of that evaluation.</param>
/// <param name="TrainLoss">Sample-weighted mean local training loss of the aggregated clients; null when none was.</param>
/// <param name="FederatedAccuracy">Sample-weighted accuracy of the new global model over the clients' evaluations; null when none counted.</param>
/// <param name="FederatedLoss">Sample-weighted loss of those evaluations.</param>
/// <param name="ModelUpdated">False when too few verified updates arrived and the round kept the old model.</param>
/// <param name="Seconds">Wall-clock duration of the round, both phases.</param>
/// <param name="Fit">Every client sampled to fit, ordered by client id.</param>
/// <param name="Evaluate">Every client sampled to evaluate, ordered by client id.</param>
/// <param name="MaxWeightBitsPerWeight">The most weight leakage any client has reached, bits per weight (secure runs).</param>
/// <param name="MaxDataBits">The most data leakage any client has reached, bits per element (secure runs).</param>
/// <param name="RejectedMessages">
/// Messages the server dropped during the round because their sender may not say them: about another
/// client's task, a finished phase or an earlier round, or a verdict not from the task's verifier.
/// </param>
public sealed record RoundRecord(
    int Round,
    double TestAccuracy,
    double TestLoss,
    double? TrainLoss,
    double? FederatedAccuracy,
    double? FederatedLoss,
    bool ModelUpdated,
    double Seconds,
    IReadOnlyList<ClientRoundOutcome> Fit,
    IReadOnlyList<ClientRoundOutcome> Evaluate,
    double? MaxWeightBitsPerWeight,
    double? MaxDataBits,
    int RejectedMessages = 0)
{
    /// <summary>Under differential privacy, the epsilon spent by the end of the round at the run's delta; null without.</summary>
    public double? Epsilon { get; init; }

    /// <summary>Under differential privacy, the round's sampling rate, noise and clipping norm; null without.</summary>
    public RoundPrivacy? Privacy { get; init; }

    /// <summary>Ids of the clients whose updates were aggregated.</summary>
    public IEnumerable<string> Aggregated => Ids(Fit, ClientRoundStatus.Aggregated);

    /// <summary>Ids of the clients the verifier flagged in either phase.</summary>
    public IEnumerable<string> Flagged => Ids(Fit.Concat(Evaluate), ClientRoundStatus.Flagged).Distinct().Order(StringComparer.Ordinal);

    /// <summary>Updates left out of the aggregate because the verifier flagged (or could not check) their client's light.</summary>
    public int ExcludedUpdates => Fit.Count(c => c.Status == ClientRoundStatus.Flagged);

    /// <summary>Updates the server rejected: malformed, not finite, of the wrong shape or beyond the norm limit (<see cref="UpdateCheck"/>).</summary>
    public int RejectedUpdates => Fit.Count(c => c.Status == ClientRoundStatus.Rejected);

    /// <summary>Ids of the clients dropped for missing a deadline in either phase.</summary>
    public IEnumerable<string> Stragglers => Ids(Fit.Concat(Evaluate), ClientRoundStatus.Straggler).Distinct().Order(StringComparer.Ordinal);

    private static IEnumerable<string> Ids(IEnumerable<ClientRoundOutcome> outcomes, ClientRoundStatus status) =>
        outcomes.Where(c => c.Status == status).Select(c => c.ClientId);
}
