using QSI.Federation.Inference;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Serving;

/// <summary>One client's record at the verifier.</summary>
/// <param name="Checks">Queries checked.</param>
/// <param name="Accepted">Checks that accepted.</param>
/// <param name="Residuals">Everything measured of the client's returned light, pooled.</param>
public sealed record ClientRecord(long Checks, long Accepted, ResidualStatistics Residuals);

/// <summary>
/// The verifier's side of serving: holds the references of the frames issued to each client,
/// checks every query's returned light exactly once, and keeps a record per client.
/// </summary>
public sealed class VerifierLedger(VerifierOptions options, NoiseSource noise)
{
    private readonly ResidualVerifier _verifier = new(options);
    private readonly Dictionary<long, Expectation> _expected = [];
    private readonly Dictionary<string, ClientRecord> _records = [];

    /// <summary>The verifier's expectations.</summary>
    public VerifierOptions Options => _verifier.Options;

    /// <summary>
    /// Registers the references of a request's frames; every query returns the light of
    /// <paramref name="uses"/>[l] uses of frame l (one each when not given).
    /// </summary>
    public void Expect(long requestId, string clientId, int queries, IReadOnlyList<FrameReference> references, IReadOnlyList<long>? uses = null)
    {
        if (_expected.ContainsKey(requestId)) throw new ProtocolViolation($"request {requestId} is already expected");
        if (uses is not null && uses.Count != references.Count)
            throw new ArgumentException($"{uses.Count} use counts for {references.Count} frames", nameof(uses));
        _expected[requestId] = new Expectation(clientId, references, uses ?? references.Select(_ => 1L).ToArray(), new bool[queries]);
    }

    /// <summary>True when the references of <paramref name="requestId"/> are held.</summary>
    public bool Expects(long requestId) => _expected.ContainsKey(requestId);

    /// <summary>
    /// Checks query <paramref name="query"/> of a request; each query can be checked once. The
    /// detector noise comes from <paramref name="detectorNoise"/> when given, else from the
    /// ledger's own stream; the test runs at <paramref name="falseAlarmRate"/> when given, else at
    /// the ledger's own.
    /// </summary>
    public VerifierVerdict Check(long requestId, string clientId, int query, IReadOnlyList<ReturnedLight> residuals,
        NoiseSource? detectorNoise = null, double? falseAlarmRate = null)
    {
        if (!_expected.TryGetValue(requestId, out var expected))
            throw new ProtocolViolation($"request {requestId} is unknown or finished");
        if (expected.ClientId != clientId)
            throw new ProtocolViolation($"request {requestId} belongs to client {expected.ClientId}, not {clientId}");
        if (query < 0 || query >= expected.Checked.Length)
            throw new ProtocolViolation($"query {query} is outside request {requestId}'s {expected.Checked.Length} queries");
        if (expected.Checked[query]) throw new ProtocolViolation($"query {query} of request {requestId} was already checked");
        if (residuals.Count != expected.References.Count)
            throw new ProtocolViolation($"query {query} of request {requestId} returned light of {residuals.Count} frames; {expected.References.Count} were issued");
        for (var l = 0; l < residuals.Count; l++)
            if (residuals[l].Uses != expected.Uses[l])
                throw new ProtocolViolation($"query {query} of request {requestId} returned the light of {residuals[l].Uses} uses of frame {l}; {expected.Uses[l]} were issued");
        ResidualStatistics statistics;
        try
        {
            statistics = QueryVerification.Measure(residuals, expected.References, detectorNoise ?? noise);
        }
        catch (ArgumentException e)
        {
            expected.Checked[query] = true;
            throw new ProtocolViolation($"query {query} of request {requestId}: {e.Message}", lightMeasured: true);
        }
        expected.Checked[query] = true;
        var verifier = falseAlarmRate is { } rate && rate != _verifier.Options.FalseAlarmRate
            ? new ResidualVerifier(_verifier.Options with { FalseAlarmRate = rate })
            : _verifier;
        var verdict = verifier.Check(statistics);
        var record = Record(clientId);
        _records[clientId] = new ClientRecord(record.Checks + 1, record.Accepted + (verdict.Accepted ? 1 : 0), record.Residuals + statistics);
        return verdict;
    }

    /// <summary>Ends a request: its references are dropped, further checks are violations.</summary>
    public void Finish(long requestId) => _expected.Remove(requestId);

    /// <summary>Drops every request of a client that left.</summary>
    public void Forget(string clientId)
    {
        foreach (var id in _expected.Where(e => e.Value.ClientId == clientId).Select(e => e.Key).ToArray()) _expected.Remove(id);
    }

    /// <summary>The client's record so far.</summary>
    public ClientRecord Record(string clientId) =>
        _records.TryGetValue(clientId, out var record) ? record : new ClientRecord(0, 0, ResidualStatistics.None);

    /// <summary>The verifier's verdict on everything the client returned so far, pooled.</summary>
    public VerifierVerdict? Pooled(string clientId) =>
        Record(clientId) is { Checks: > 0 } record ? _verifier.Check(record.Residuals) : null;

    private sealed record Expectation(string ClientId, IReadOnlyList<FrameReference> References, IReadOnlyList<long> Uses, bool[] Checked);
}
