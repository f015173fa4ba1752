using QSI.Federation.Inference;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Optics;
using QSI.Protocol.Verification;

namespace QSI.Federation.Serving;

/// <summary>One client's record at the verifier.</summary>
/// <param name="Checks">Queries checked.</param>
/// <param name="Accepted">Checks that accepted.</param>
/// <param name="Residuals">Everything measured of the client's returned light, pooled.</param>
public sealed record ClientRecord(long Checks, long Accepted, ResidualStatistics Residuals);

/// <summary>
/// The verifier's finding on all the light of one request: the pooled verdict when every query's
/// light was checked, or why it could not be (light missing, malformed, of the wrong frames).
/// </summary>
/// <param name="Verdict">The verdict on the request's light, pooled; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the light could not be checked; null when it was.</param>
/// <param name="Measured">True when some of the request's light was measured (the client's data is then exposed).</param>
public sealed record RequestConclusion(VerifierVerdict? Verdict, string? Problem, bool Measured)
{
    /// <summary>True when the client's light passed.</summary>
    public bool Accepted => Verdict is { Accepted: true };
}

/// <summary>
/// The verifier's side of the protocol: holds the references of the light issued for each
/// request, checks every query's returned light exactly once, pools a request's checks into one
/// conclusion, and keeps a record per client.
/// </summary>
public sealed class VerifierLedger(VerifierOptions options, NoiseSource noise)
{
    private readonly ResidualVerifier _verifier = new(options);
    private readonly ChannelImperfections _receiving = ChannelImperfections.Ideal;

    /// <summary>
    /// A ledger whose light arrives through <paramref name="receiving"/>'s return path and is measured by its verifier
    /// detector (docs/CONVENTIONS.md, "A real channel"); its other fields do not enter.
    /// </summary>
    public VerifierLedger(VerifierOptions options, NoiseSource noise, ChannelImperfections receiving) : this(options, noise) =>
        _receiving = receiving.Validated();
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
    /// Checks query <paramref name="query"/> of a request at the ledger's own false-alarm rate; each
    /// query can be checked once. The detector noise comes from <paramref name="detectorNoise"/> when
    /// given, else from the ledger's own stream. Light that breaks the request's terms is a
    /// <see cref="ProtocolViolation"/>, which the request's conclusion remembers.
    /// </summary>
    public VerifierVerdict Check(long requestId, string clientId, int query, IReadOnlyList<ReturnedLight> residuals, NoiseSource? detectorNoise = null)
    {
        if (!_expected.TryGetValue(requestId, out var expected))
            throw new ProtocolViolation($"request {requestId} is unknown or finished");
        if (expected.ClientId != clientId)
            throw new ProtocolViolation($"request {requestId} belongs to client {expected.ClientId}, not {clientId}");
        if (query < 0 || query >= expected.Settled.Length)
            throw new ProtocolViolation($"query {query} is outside request {requestId}'s {expected.Settled.Length} queries");
        if (expected.Settled[query]) throw new ProtocolViolation($"query {query} of request {requestId} was already checked");
        expected.Settled[query] = true;
        if (residuals.Count != expected.References.Count)
            throw expected.Fail($"query {query} of request {requestId} returned light of {residuals.Count} frames; {expected.References.Count} were issued");
        for (var l = 0; l < residuals.Count; l++)
            if (residuals[l].Uses != expected.Uses[l])
                throw expected.Fail($"query {query} of request {requestId} returned the light of {residuals[l].Uses} uses of frame {l}; {expected.Uses[l]} were issued");
        ResidualStatistics statistics;
        try
        {
            statistics = QueryVerification.Measure(residuals, expected.References, detectorNoise ?? noise, _receiving);
        }
        catch (ArgumentException e)
        {
            expected.Measured = true;
            throw expected.Fail($"query {query} of request {requestId}: {e.Message}");
        }
        expected.Measured = true;
        expected.Pooled += statistics;
        var verdict = _verifier.Check(statistics);
        var record = Record(clientId);
        _records[clientId] = new ClientRecord(record.Checks + 1, record.Accepted + (verdict.Accepted ? 1 : 0), record.Residuals + statistics);
        return verdict;
    }

    /// <summary>Settles query <paramref name="query"/> as light that could not even be read (its wire form is malformed).</summary>
    public void Unreadable(long requestId, int query, string problem)
    {
        if (!_expected.TryGetValue(requestId, out var expected) || query < 0 || query >= expected.Settled.Length || expected.Settled[query]) return;
        expected.Settled[query] = true;
        expected.Fail($"query {query} of request {requestId}: {problem}");
    }

    /// <summary>True when every query of the request has been checked or found wanting.</summary>
    public bool IsSettled(long requestId) => _expected.TryGetValue(requestId, out var e) && e.Settled.All(s => s);

    /// <summary>
    /// The verifier's finding on all the request's light so far, tested at <paramref name="falseAlarmRate"/>:
    /// queries whose light never came are missing light, and the client is then flagged as for any other problem.
    /// </summary>
    public RequestConclusion Conclude(long requestId, double falseAlarmRate)
    {
        if (!_expected.TryGetValue(requestId, out var expected)) throw new ProtocolViolation($"request {requestId} is unknown or finished");
        if (expected.Problem is { } problem) return new RequestConclusion(null, problem, expected.Measured);
        var missing = expected.Settled.Count(s => !s);
        if (missing > 0)
        {
            var what = expected.Settled.Length == 1 ? "it returned no light" : $"{missing} of its {expected.Settled.Length} queries returned no light";
            return new RequestConclusion(null, what, expected.Measured);
        }
        var verifier = falseAlarmRate == _verifier.Options.FalseAlarmRate ? _verifier : new ResidualVerifier(_verifier.Options with { FalseAlarmRate = falseAlarmRate });
        return new RequestConclusion(verifier.Check(expected.Pooled), null, Measured: true);
    }

    /// <summary>Ends a request: its references are dropped, further checks are violations.</summary>
    public void Finish(long requestId) => _expected.Remove(requestId);

    /// <summary>The client's record so far.</summary>
    public ClientRecord Record(string clientId) =>
        _records.TryGetValue(clientId, out var record) ? record : new ClientRecord(0, 0, ResidualStatistics.None);

    /// <summary>The verifier's verdict on everything the client returned so far, pooled.</summary>
    public VerifierVerdict? Pooled(string clientId) =>
        Record(clientId) is { Checks: > 0 } record ? _verifier.Check(record.Residuals) : null;

    private sealed record Expectation(string ClientId, IReadOnlyList<FrameReference> References, IReadOnlyList<long> Uses, bool[] Settled)
    {
        public ResidualStatistics Pooled { get; set; }
        public bool Measured { get; set; }
        public string? Problem { get; private set; }

        /// <summary>Remembers the first problem of the request's light and returns it as a violation to throw.</summary>
        public ProtocolViolation Fail(string problem)
        {
            Problem ??= problem;
            return new ProtocolViolation(problem, Measured);
        }
    }
}
