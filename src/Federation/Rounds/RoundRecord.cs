namespace QSI.Federation.Rounds;

/// <summary>What became of one sampled client in a round.</summary>
public enum ClientRoundStatus
{
    /// <summary>Its update was verified and aggregated.</summary>
    Aggregated,

    /// <summary>The verifier found excess noise or a wrong transmission in its returned light; its update was discarded.</summary>
    Flagged,

    /// <summary>It missed the round's deadline; its update, if any, was discarded.</summary>
    Straggler,

    /// <summary>It left the federation or failed during the round.</summary>
    DroppedOut,

    /// <summary>Its weight-leakage budget is spent: the server issued it no frames.</summary>
    WeightBudgetSpent,

    /// <summary>Its data-leakage budget is spent: it declined to return residuals, so it did not train.</summary>
    DataBudgetSpent,
}

/// <summary>One sampled client's part in a round.</summary>
/// <param name="ClientId">The client's name.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Samples">Local samples it trained on (0 when it did not train).</param>
/// <param name="TrainLoss">Mean local training loss, when it trained.</param>
/// <param name="FederatedAccuracy">Accuracy of the round's global model on the client's held-out samples, when evaluated.</param>
/// <param name="ExcessNoise">The verifier's eps-hat over the client's returned light this round (secure runs).</param>
/// <param name="ExcessNoiseScore">eps-hat minus the honest eps0, in standard errors (secure runs).</param>
/// <param name="WeightBitsPerWeight">Cumulative weight leakage charged to the client so far, bits per weight of its most exposed layer (secure runs).</param>
/// <param name="DataBits">Cumulative data leakage charged to the client so far, bits per data element of its most exposed layer (secure runs).</param>
/// <param name="Reason">Why it was not aggregated, in a sentence; null when it was.</param>
public sealed record ClientRoundOutcome(
    string ClientId,
    ClientRoundStatus Status,
    int Samples,
    double? TrainLoss,
    double? FederatedAccuracy,
    double? ExcessNoise,
    double? ExcessNoiseScore,
    double? WeightBitsPerWeight,
    double? DataBits,
    string? Reason);

/// <summary>One round of federated training, as the metrics history records it.</summary>
/// <param name="Round">Round number, from 1.</param>
/// <param name="TestAccuracy">The server's digital evaluation of the new global model on its test set.</param>
/// <param name="TestLoss">Mean cross-entropy of that evaluation.</param>
/// <param name="TrainLoss">Sample-weighted mean local training loss of the aggregated clients; null when none was.</param>
/// <param name="FederatedAccuracy">Sample-weighted mean of the clients' federated evaluations; null when none reported.</param>
/// <param name="Seconds">Wall-clock duration of the round.</param>
/// <param name="Clients">Every sampled client's outcome, ordered by client id.</param>
public sealed record RoundRecord(
    int Round,
    double TestAccuracy,
    double TestLoss,
    double? TrainLoss,
    double? FederatedAccuracy,
    double Seconds,
    IReadOnlyList<ClientRoundOutcome> Clients)
{
    /// <summary>Ids of the clients whose updates were aggregated.</summary>
    public IEnumerable<string> Aggregated => Ids(ClientRoundStatus.Aggregated);

    /// <summary>Ids of the clients the verifier flagged.</summary>
    public IEnumerable<string> Flagged => Ids(ClientRoundStatus.Flagged);

    /// <summary>Ids of the clients dropped for missing the deadline.</summary>
    public IEnumerable<string> Stragglers => Ids(ClientRoundStatus.Straggler);

    private IEnumerable<string> Ids(ClientRoundStatus status) => Clients.Where(c => c.Status == status).Select(c => c.ClientId);
}
