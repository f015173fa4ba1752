namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// The server's side of one secure aggregation, as a state machine a driver (the server actor,
/// or a test) moves on: collect the clients' keys and relay the roster U1; collect each one's
/// sealed shares and forward each envelope to its recipient (U2, the clients that masked against
/// one another); take the survivors U3 whose masked updates are summed, collect their signatures
/// over that list and forward them (U4); collect their shares and rebuild, from any t of them,
/// b_u of every survivor and s_v^SK of every client of U2 that fell out, then unmask the sum. At
/// every step fewer than t clients ends it: <see cref="Failure"/> says why.
/// </summary>
public sealed class SecAggServer
{
    private readonly HashSet<string> _awaited;
    private readonly int? _threshold;
    private readonly SortedDictionary<string, AdvertisedKeys> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ShareEnvelope>> _shares = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _signatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<RevealedShare>> _reveals = new(StringComparer.Ordinal);
    private string[]? _masked;
    private string[]? _signers;

    /// <summary>The secure aggregation of round <paramref name="round"/> among <paramref name="clients"/>, with threshold <paramref name="threshold"/> (null: <see cref="SecAggThreshold.Default"/> of the roster).</summary>
    public SecAggServer(IEnumerable<string> clients, int round, int? threshold = null)
    {
        _awaited = new HashSet<string>(clients, StringComparer.Ordinal);
        Round = round;
        _threshold = threshold;
    }

    /// <summary>The round.</summary>
    public int Round { get; }

    /// <summary>The steps, in order.</summary>
    public enum Step
    {
        /// <summary>Collecting the advertised keys.</summary>
        Keys,

        /// <summary>Roster relayed; collecting the sealed shares.</summary>
        Shares,

        /// <summary>Shares forwarded; the clients of U2 mask and upload.</summary>
        Masking,

        /// <summary>Survivors sent; collecting their signatures.</summary>
        Signatures,

        /// <summary>Signatures forwarded; collecting the shares revealed.</summary>
        Reveals,

        /// <summary>Over: unmasked, or failed.</summary>
        Over,
    }

    /// <summary>Where the aggregation is.</summary>
    public Step At { get; private set; } = Step.Keys;

    /// <summary>Why the aggregation cannot finish; null while it can.</summary>
    public string? Failure { get; private set; }

    /// <summary>The threshold t, fixed when the roster is relayed.</summary>
    public int Threshold { get; private set; }

    /// <summary>The keys collected, by client (U1 once relayed).</summary>
    public IReadOnlyDictionary<string, AdvertisedKeys> Keys => _keys;

    /// <summary>The clients whose shares were forwarded (U2), who mask against one another; empty before.</summary>
    public IReadOnlyCollection<string> Maskers => At >= Step.Masking ? _shares.Keys : [];

    /// <summary>The survivors (U3), whose masked updates are summed; null until chosen.</summary>
    public IReadOnlyList<string>? Survivors => _masked;

    /// <summary>The clients still awaited in the current step.</summary>
    public IEnumerable<string> Awaited => At switch
    {
        Step.Keys => _awaited.Where(c => !_keys.ContainsKey(c)),
        Step.Shares => _awaited.Where(c => !_shares.ContainsKey(c)),
        Step.Signatures => _awaited.Where(c => !_signatures.ContainsKey(c)),
        Step.Reveals => _awaited.Where(c => !_reveals.ContainsKey(c)),
        _ => [],
    };

    /// <summary>True when no one is awaited in the current step.</summary>
    public bool StepComplete => !Awaited.Any();

    /// <summary>Nothing more is awaited from <paramref name="client"/> (it left, failed, or missed a step's deadline).</summary>
    public void Excuse(string client) => _awaited.Remove(client);

    /// <summary>Records <paramref name="client"/>'s keys; false when it is not awaited now, or they are not three distinct P-256 keys.</summary>
    public bool AddKeys(string client, AdvertisedKeys keys)
    {
        if (At != Step.Keys || !_awaited.Contains(client) || keys.Problem(client) is not null) return false;
        _keys[client] = keys;
        return true;
    }

    /// <summary>Ends the key step: the roster U1 and the threshold to relay to it, or null (see <see cref="Failure"/>).</summary>
    public IReadOnlyDictionary<string, AdvertisedKeys>? RelayKeys()
    {
        if (At != Step.Keys) throw new InvalidOperationException($"the keys were relayed already (at {At})");
        Threshold = _threshold ?? SecAggThreshold.Default(_keys.Count);
        _awaited.IntersectWith(_keys.Keys);
        if (!Enough(_keys.Count, "advertised keys")) return null;
        if (SecAggThreshold.Problem(Threshold, _keys.Count) is { } problem)
        {
            Fail(problem);
            return null;
        }
        At = Step.Shares;
        return _keys;
    }

    /// <summary>
    /// Records <paramref name="client"/>'s envelopes; false unless it is awaited now and they are
    /// exactly one from it to every other client of the roster.
    /// </summary>
    public bool AddShares(string client, IReadOnlyList<ShareEnvelope> envelopes)
    {
        if (At != Step.Shares || !_awaited.Contains(client) || _shares.ContainsKey(client)) return false;
        var recipients = envelopes.Select(e => e.To).ToHashSet(StringComparer.Ordinal);
        if (envelopes.Any(e => e.From != client) || recipients.Count != envelopes.Count || recipients.Count != _keys.Count - 1
            || recipients.Contains(client) || !recipients.All(_keys.ContainsKey))
            return false;
        _shares[client] = envelopes;
        return true;
    }

    /// <summary>Ends the share step: for every client of U2, the envelopes sealed for it by the others of U2; null (see <see cref="Failure"/>) with fewer than t.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ShareEnvelope>>? ForwardShares()
    {
        if (At != Step.Shares) throw new InvalidOperationException($"the shares cannot be forwarded at {At}");
        _awaited.IntersectWith(_shares.Keys);
        // A client that sent shares and then left is still in U2: its peers masked against it, and its key is rebuilt.
        if (!Enough(_shares.Count, "sent their shares")) return null;
        At = Step.Masking;
        return _shares.Keys.ToDictionary(to => to, to => (IReadOnlyList<ShareEnvelope>)[.. _shares.Where(s => s.Key != to).Select(s => s.Value.Single(e => e.To == to))],
            StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="client"/> may upload a masked update: it is in U2 and the survivors are not yet chosen.</summary>
    public bool MayMask(string client) => At == Step.Masking && _shares.ContainsKey(client);

    /// <summary>
    /// Ends the masking step: the survivors U3, the clients of U2 among <paramref name="countable"/>
    /// (those whose masked updates arrived and count), to whom the list goes for signing; null (see <see cref="Failure"/>) with fewer than t.
    /// </summary>
    public IReadOnlyList<string>? ChooseSurvivors(IEnumerable<string> countable)
    {
        if (At != Step.Masking) throw new InvalidOperationException($"the survivors cannot be chosen at {At}");
        _masked = [.. countable.Where(_shares.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _awaited.IntersectWith(_masked);
        if (!Enough(_masked.Length, "masked updates that count")) return null;
        At = Step.Signatures;
        return _masked;
    }

    /// <summary>Records a survivor's signature over the survivor list; false when it is not awaited now or the signature does not check.</summary>
    public bool AddSignature(string client, byte[] signature)
    {
        if (At != Step.Signatures || !_awaited.Contains(client) || !ConsistencyCheck.Verify(_keys[client].Signing, Round, _masked!, signature)) return false;
        _signatures[client] = signature;
        return true;
    }

    /// <summary>Ends the signature step: the signatures to forward to every signer (U4); null (see <see cref="Failure"/>) with fewer than t.</summary>
    public IReadOnlyDictionary<string, byte[]>? ForwardSignatures()
    {
        if (At != Step.Signatures) throw new InvalidOperationException($"the signatures cannot be forwarded at {At}");
        _signers = [.. _signatures.Keys];
        _awaited.IntersectWith(_signers);
        if (!Enough(_signers.Length, "signed the survivor list")) return null;
        At = Step.Reveals;
        return _signatures;
    }

    /// <summary>
    /// Records a signer's shares; false unless it is awaited now and they are exactly one share
    /// for every client of U2 it holds shares of: of b_v for a survivor, of s_v^SK for the others.
    /// </summary>
    public bool AddReveal(string client, IReadOnlyList<RevealedShare> shares)
    {
        if (At != Step.Reveals || !_awaited.Contains(client) || _reveals.ContainsKey(client)) return false;
        var owners = shares.Select(s => s.Owner).ToHashSet(StringComparer.Ordinal);
        if (owners.Count != shares.Count || !owners.SetEquals(_shares.Keys)) return false;
        if (shares.Any(s => s.Kind != (_masked!.Contains(s.Owner) ? ShareKind.SelfSeed : ShareKind.MaskingKey))) return false;
        _reveals[client] = shares;
        return true;
    }

    /// <summary>How many signers have revealed their shares.</summary>
    public int Revealed => _reveals.Count;

    /// <summary>True when at least t signers have revealed: the sum can be unmasked.</summary>
    public bool CanUnmask => At == Step.Reveals && _reveals.Count >= Threshold;

    /// <summary>
    /// The survivors' sample-weighted mean update: their <paramref name="masked"/> vectors summed, less
    /// the self masks and the pairwise masks with U2's dropouts, both rebuilt from t revealed shares.
    /// </summary>
    /// <exception cref="ArgumentException">Too few reveals, a survivor's vector is missing, or the shares rebuild a key that is not the one advertised.</exception>
    public float[] Mean(IReadOnlyDictionary<string, ulong[]> masked, IReadOnlyDictionary<string, int> samples)
    {
        if (!CanUnmask) throw new ArgumentException($"{_reveals.Count} clients revealed their shares, fewer than the threshold of {Threshold}");
        At = Step.Over;
        var revealers = _reveals.OrderBy(r => r.Key, StringComparer.Ordinal).Take(Threshold).Select(r => r.Value).ToArray();
        byte[] Rebuild(string owner) => ShamirSharing.Combine(
            [.. revealers.Select(r => ShamirShare.Decode(r.Single(s => s.Owner == owner).Share, SecAggClient.SecretBytes))], SecAggClient.SecretBytes);
        var survivors = _masked!;
        var dropped = _shares.Keys.Where(c => !survivors.Contains(c)).Order(StringComparer.Ordinal).ToArray();
        var droppedKeys = new Dictionary<string, System.Security.Cryptography.ECDiffieHellman>(StringComparer.Ordinal);
        try
        {
            foreach (var v in dropped)
                droppedKeys[v] = AggregationSecret.Restore(Rebuild(v), _keys[v].Masking)
                    ?? throw new ArgumentException($"the shares of {v}'s masking key rebuild a key other than the one it advertised");
            var reveals = survivors.ToDictionary(u => u, u => new AggregationReveal(u, Rebuild(u),
                dropped.ToDictionary(v => v, v => AggregationSecret.PairwiseSeed(droppedKeys[v], v, u, _keys[u].Masking, Round), StringComparer.Ordinal)),
                StringComparer.Ordinal);
            var vectors = survivors.ToDictionary(u => u, u => masked.TryGetValue(u, out var y) ? y : throw new ArgumentException($"survivor {u} sent no masked update"), StringComparer.Ordinal);
            return SecureSum.Mean(vectors, reveals, samples);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"a revealed share is malformed: {e.Message}", e);
        }
        finally
        {
            foreach (var key in droppedKeys.Values) key.Dispose();
        }
    }

    /// <summary>Stops the aggregation with <paramref name="why"/> (a step's deadline passed, say).</summary>
    public void Abandon(string why)
    {
        if (At != Step.Over) Fail(why);
    }

    private bool Enough(int count, string what)
    {
        if (count >= Threshold) return true;
        Fail($"{count} clients {what}, fewer than the threshold of {Threshold}");
        return false;
    }

    private void Fail(string why)
    {
        Failure ??= why;
        At = Step.Over;
    }
}
