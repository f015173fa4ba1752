using System.Security.Cryptography;

namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// A client's side of one secure aggregation (Bonawitz et al., CCS 2017, with Shamir-shared
/// secrets): it advertises three public keys; secret-shares its self-mask seed b_u and its masking
/// key s_u^SK among the roster the server relays, each peer's shares sealed for that peer; masks its
/// update against the peers whose shares reached it; signs the survivor list it is sent; and,
/// once t signatures over that same list check, reveals for each peer one share: of b_v if v
/// survived, of s_v^SK if it fell out. It never reveals both of one peer, nor answers twice.
/// Every step refuses, with <see cref="InvalidOperationException"/>, what an honest server
/// would not ask.
/// </summary>
public sealed class SecAggClient : IDisposable
{
    private readonly AggregationSecret _masking;
    private readonly ECDiffieHellman _sharing = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Action<Span<byte>>? _random;
    private readonly Dictionary<string, (ShamirShare Self, ShamirShare Key)> _held = new(StringComparer.Ordinal);
    private Stage _stage = Stage.Advertised;
    private IReadOnlyDictionary<string, AdvertisedKeys>? _roster;
    private int _threshold;
    private string[]? _signed;
    private byte[]? _signature;

    private enum Stage
    {
        Advertised,
        Shared,
        Holding,
        Masked,
        Signed,
        Revealed,
    }

    /// <summary>Fresh secrets of client <paramref name="clientId"/> for its task <paramref name="requestId"/> of round <paramref name="round"/>.</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="requestId">Its task.</param>
    /// <param name="round">The round, which names the seeds and the envelopes.</param>
    /// <param name="random">The randomness of the Shamir polynomials (the system's CSPRNG unless a test gives its own).</param>
    public SecAggClient(string clientId, long requestId, int round, Action<Span<byte>>? random = null)
    {
        _masking = new AggregationSecret(clientId, requestId, round);
        _random = random;
        Keys = new AdvertisedKeys(_masking.PublicKey, _sharing.ExportSubjectPublicKeyInfo(), _signing.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The client.</summary>
    public string ClientId => _masking.ClientId;

    /// <summary>The task the secrets are for.</summary>
    public long RequestId => _masking.RequestId;

    /// <summary>The round.</summary>
    public int Round => _masking.Round;

    /// <summary>The public keys to advertise.</summary>
    public AdvertisedKeys Keys { get; }

    /// <summary>True once the peers' shares are here and the update can be masked.</summary>
    public bool ReadyToMask => _stage == Stage.Holding;

    /// <summary>
    /// Round 1: the shares of b_u and s_u^SK, threshold <paramref name="threshold"/>, one envelope
    /// for every other client of <paramref name="roster"/> (the keys the server relayed); peer v's
    /// point is its place in the roster's ordinal order, from 1.
    /// </summary>
    public IReadOnlyList<ShareEnvelope> ShareKeys(int threshold, IReadOnlyDictionary<string, AdvertisedKeys> roster)
    {
        Expect(Stage.Advertised, "share its keys");
        if (!roster.TryGetValue(ClientId, out var own) || !own.Masking.AsSpan().SequenceEqual(Keys.Masking) || !own.Sharing.AsSpan().SequenceEqual(Keys.Sharing)
            || !own.Signing.AsSpan().SequenceEqual(Keys.Signing))
            throw Refuse("the roster does not hold its own keys");
        if (SecAggThreshold.Problem(threshold, roster.Count) is { } problem) throw Refuse(problem);
        if (roster.Select(r => r.Value.Problem(r.Key)).FirstOrDefault(p => p is not null) is { } bad) throw Refuse(bad);
        if (roster.Values.Select(k => Convert.ToHexString(k.Sharing)).Distinct().Count() != roster.Count) throw Refuse("two clients of the roster advertised one key");
        var order = roster.Keys.Order(StringComparer.Ordinal).ToArray();
        var selfShares = ShamirSharing.Split(_masking.SelfSeed(), threshold, order.Length, _random);
        var keyShares = ShamirSharing.Split(_masking.PrivateScalar(), threshold, order.Length, _random);
        var envelopes = new List<ShareEnvelope>();
        for (var k = 0; k < order.Length; k++)
        {
            if (order[k] == ClientId)
            {
                _held[ClientId] = (selfShares[k], keyShares[k]);
                continue;
            }
            envelopes.Add(ShareEnvelope.Seal(_sharing, ClientId, order[k], roster[order[k]].Sharing, Round, [.. selfShares[k].Encode(), .. keyShares[k].Encode()]));
        }
        (_roster, _threshold, _stage) = (roster, threshold, Stage.Shared);
        return envelopes;
    }

    /// <summary>
    /// Round 2, on arrival: the envelopes the peers sealed for this client. The peers they come
    /// from, with this client, are the ones it masks against (U2); there must be at least t.
    /// </summary>
    public void AcceptShares(IReadOnlyList<ShareEnvelope> envelopes)
    {
        Expect(Stage.Shared, "accept shares");
        var roster = _roster!;
        var point = roster.Keys.Order(StringComparer.Ordinal).ToList().IndexOf(ClientId) + 1;
        var received = new Dictionary<string, (ShamirShare, ShamirShare)>(StringComparer.Ordinal);
        foreach (var envelope in envelopes)
        {
            if (envelope.To != ClientId || envelope.From == ClientId || !roster.TryGetValue(envelope.From, out var sender) || received.ContainsKey(envelope.From))
                throw Refuse($"an envelope from {envelope.From} to {envelope.To} is not one of its roster's to it, or comes twice");
            byte[] plaintext;
            try
            {
                plaintext = envelope.Open(_sharing, sender.Sharing, Round);
            }
            catch (ArgumentException e)
            {
                throw Refuse(e.Message);
            }
            var half = plaintext.Length / 2;
            try
            {
                var shares = (ShamirShare.Decode(plaintext.AsSpan(0, half), SecretBytes), ShamirShare.Decode(plaintext.AsSpan(half), SecretBytes));
                if (shares.Item1.X != point || shares.Item2.X != point) throw new FormatException($"its shares are at point {shares.Item1.X}, not {point}");
                received[envelope.From] = shares;
            }
            catch (FormatException e)
            {
                throw Refuse($"the shares of {envelope.From} are malformed: {e.Message}");
            }
        }
        if (received.Count + 1 < _threshold) throw Refuse($"the shares of {received.Count + 1} clients reached it, fewer than the threshold of {_threshold}");
        foreach (var (peer, shares) in received) _held[peer] = shares;
        _stage = Stage.Holding;
    }

    /// <summary>The clients it masks against, itself among them (U2); null before the shares arrived.</summary>
    public IReadOnlyCollection<string>? Peers => _stage >= Stage.Holding ? _held.Keys : null;

    /// <summary>
    /// Round 2: y_u, the fixed-point <paramref name="samples"/> x <paramref name="delta"/> masked with
    /// b_u and with the pairwise seed of every peer whose shares reached it. Anything added to the
    /// update (noise of differential privacy, say) goes into <paramref name="delta"/> first.
    /// </summary>
    /// <exception cref="ArgumentException">The delta does not fit the fixed-point form.</exception>
    public ulong[] Mask(ReadOnlySpan<float> delta, int samples)
    {
        Expect(Stage.Holding, "mask its update");
        var roster = _roster!;
        var masked = _masking.Mask(delta, samples, _held.Keys.ToDictionary(p => p, p => roster[p].Masking, StringComparer.Ordinal));
        _stage = Stage.Masked;
        return masked;
    }

    /// <summary>Round 3: its signature over <paramref name="survivors"/>, which must be at least t of the clients it masked against, itself among them; signed once.</summary>
    public byte[] SignSurvivors(IReadOnlyList<string> survivors)
    {
        if (_stage == Stage.Signed && _signed!.SequenceEqual(survivors.Order(StringComparer.Ordinal))) return (byte[])_signature!.Clone();
        Expect(Stage.Masked, "sign a survivor list");
        var list = SurvivorList(survivors);
        _signature = _signing.SignData(ConsistencyCheck.Statement(Round, list), HashAlgorithmName.SHA256);
        (_signed, _stage) = (list, Stage.Signed);
        return (byte[])_signature.Clone();
    }

    /// <summary>
    /// Round 4: for the survivor list it signed, with <paramref name="signatures"/> by signer, at
    /// least t of them valid and every one valid: a share of b_v for every survivor v, of s_v^SK for
    /// every other peer it masked against. Once only.
    /// </summary>
    public IReadOnlyList<RevealedShare> Unmask(IReadOnlyList<string> survivors, IReadOnlyDictionary<string, byte[]> signatures)
    {
        Expect(Stage.Signed, "reveal shares");
        var list = survivors.Order(StringComparer.Ordinal).ToArray();
        if (!list.SequenceEqual(_signed!)) throw Refuse("it was asked to reveal for a survivor list other than the one it signed");
        var roster = _roster!;
        foreach (var (signer, signature) in signatures)
        {
            if (!list.Contains(signer, StringComparer.Ordinal)) throw Refuse($"{signer} signed but is not a survivor");
            if (!ConsistencyCheck.Verify(roster[signer].Signing, Round, list, signature)) throw Refuse($"the signature of {signer} over the survivor list does not check");
        }
        if (signatures.Count < _threshold) throw Refuse($"{signatures.Count} signatures over the survivor list, fewer than the threshold of {_threshold}");
        _stage = Stage.Revealed;
        return [.. _held.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => list.Contains(h.Key, StringComparer.Ordinal)
            ? new RevealedShare(h.Key, ShareKind.SelfSeed, h.Value.Self.Encode())
            : new RevealedShare(h.Key, ShareKind.MaskingKey, h.Value.Key.Encode()))];
    }

    /// <summary>Bytes of the shared secrets: b_u is a 32-byte AES key, s_u^SK a 32-byte P-256 scalar.</summary>
    public const int SecretBytes = 32;

    /// <inheritdoc/>
    public void Dispose()
    {
        _masking.Dispose();
        _sharing.Dispose();
        _signing.Dispose();
    }

    private string[] SurvivorList(IReadOnlyList<string> survivors)
    {
        var list = survivors.Order(StringComparer.Ordinal).ToArray();
        if (list.Distinct(StringComparer.Ordinal).Count() != list.Length) throw Refuse("the survivor list names a client twice");
        if (!list.Contains(ClientId, StringComparer.Ordinal)) throw Refuse("the survivor list leaves it out");
        if (list.FirstOrDefault(s => !_held.ContainsKey(s)) is { } stranger) throw Refuse($"survivor {stranger} is not one it masked against");
        if (list.Length < _threshold) throw Refuse($"{list.Length} survivors, fewer than the threshold of {_threshold}");
        return list;
    }

    private void Expect(Stage stage, string what)
    {
        if (_stage != stage) throw Refuse($"it cannot {what} now (it is at {_stage.ToString().ToLowerInvariant()})");
    }

    private InvalidOperationException Refuse(string why) => new($"client {ClientId} refuses: {why}");
}
