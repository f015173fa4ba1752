namespace QSI.Node.Reports;

/// <summary>
/// The result of <c>qsi client</c>: the client's images classified through the server's frames,
/// with the fields of <see cref="InferReport"/> a client can know. The client never holds the
/// model, so <see cref="DigitalAccuracy"/> is always null.
/// </summary>
/// <param name="ClientId">The client's name in the federation.</param>
/// <param name="Shard">Which part of the test set the client ran, K/N.</param>
/// <param name="DigitalAccuracy">Always null: only the server could classify in the clear.</param>
/// <param name="SecureAccuracy">Accuracy through the protocol.</param>
/// <param name="Verifier">What the verifier reported of this client's queries.</param>
/// <param name="Leakage">Leakage bounds of one use of the first layer, from the frames received.</param>
/// <param name="ImagesPerSecond">Throughput, end to end, from joining to the verifier's record.</param>
/// <param name="Images">Images classified.</param>
/// <param name="Correct">Images classified correctly.</param>
/// <param name="Rejected">Queries the verifier refused to check (not counted in checks).</param>
/// <param name="Photons">Mean photon number mu per mode of the frames received.</param>
/// <param name="Gain">The client's amplifier gain G.</param>
/// <param name="SignalFactor">F = 2 mu kappa(G).</param>
/// <param name="Transmission">Channel transmission T the frames crossed, as the server announced it.</param>
/// <param name="Seed">Seed of the client's device noise.</param>
/// <param name="Seconds">Time from joining the cluster to the report.</param>
internal sealed record ClientRunReport(
    string ClientId,
    string Shard,
    double? DigitalAccuracy,
    double SecureAccuracy,
    VerifierSummary Verifier,
    ModelLeakage Leakage,
    double ImagesPerSecond,
    int Images,
    int Correct,
    long Rejected,
    double Photons,
    double Gain,
    double SignalFactor,
    double Transmission,
    int Seed,
    double Seconds);
