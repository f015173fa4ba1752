namespace QSI.Node.Reports;

/// <summary>
/// The summary of a federated run, as <c>--json</c> prints it and <c>summary.json</c> keeps it.
/// The field names are the product's interface.
/// </summary>
/// <param name="TestAccuracy">The server's digital evaluation of the final model on its test set.</param>
/// <param name="SecureTestAccuracy">The test set classified through the protocol at the run's mu and G, with the final model.</param>
/// <param name="FederatedAccuracy">The clients' evaluation of the final model on their held-out data; null without federated evaluation.</param>
/// <param name="TestLoss">Mean cross-entropy of the server's evaluation.</param>
/// <param name="Rounds">Rounds completed.</param>
/// <param name="SecondsPerRound">Mean wall-clock seconds per round.</param>
/// <param name="Clients">Clients of the federation.</param>
/// <param name="FlaggedClients">Clients the verifier flagged in any round, by id.</param>
/// <param name="Stragglers">Clients dropped for missing a deadline in any round, by id.</param>
/// <param name="ExcludedUpdates">Fit tasks, over all rounds, whose update was left out because the verifier flagged (or could not check) the client's light.</param>
/// <param name="RejectedMessages">Messages, over all rounds, the server dropped because their sender may not say them (forged verdicts, replies for another client's task, replays).</param>
/// <param name="MaxWeightBitsPerWeight">The most weight leakage any client reached, bits per weight; null for a plain run.</param>
/// <param name="MaxDataBits">The most data leakage any client reached, bits per element; null for a plain run.</param>
/// <param name="Plain">True for the baseline without the optical channel.</param>
/// <param name="Strategy">The strategy.</param>
/// <param name="Partition">How the data was split among clients.</param>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="Gain">Amplifier gain G.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="ResumedFrom">Round of the checkpoint this process continued from; null when it ran from the start.</param>
/// <param name="Out">The run folder.</param>
/// <param name="Model">The final model file.</param>
/// <param name="RelativeError">With extract adversaries: the best attacker's |W^ - W| / |W| per layer after the last round; null without.</param>
/// <param name="Extraction">With extract adversaries: each attacker's estimate of each layer after the last round, beside its bounds.</param>
/// <param name="RejectedUpdates">Updates, over all rounds, the server rejected as malformed, not finite, of the wrong shape or beyond <c>--max-update-norm</c>.</param>
/// <param name="Epsilon">Under differential privacy, the epsilon spent over the run at <paramref name="Delta"/>; null without.</param>
/// <param name="Delta">Under differential privacy, the delta of the guarantee; null without.</param>
/// <param name="Stopped">Why the run ended before its last round (its privacy budget); null when it ran them all.</param>
/// <param name="EstimatedMemoryBytes">The peak memory <c>qsi simulate</c> estimated before it started (MemoryEstimate); null for other commands.</param>
internal sealed record SimulationReport(
    double TestAccuracy,
    double SecureTestAccuracy,
    double? FederatedAccuracy,
    double TestLoss,
    int Rounds,
    double SecondsPerRound,
    int Clients,
    IReadOnlyList<string> FlaggedClients,
    IReadOnlyList<string> Stragglers,
    int ExcludedUpdates,
    int RejectedMessages,
    double? MaxWeightBitsPerWeight,
    double? MaxDataBits,
    bool Plain,
    string Strategy,
    string Partition,
    double Photons,
    double Gain,
    int Seed,
    int? ResumedFrom,
    string Out,
    string Model,
    IReadOnlyList<double>? RelativeError = null,
    IReadOnlyList<QSI.Node.Runs.ExtractionRow>? Extraction = null,
    int RejectedUpdates = 0,
    double? Epsilon = null,
    double? Delta = null,
    string? Stopped = null,
    long? EstimatedMemoryBytes = null);
