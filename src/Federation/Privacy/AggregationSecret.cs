using System.Security.Cryptography;
using System.Text;

namespace QSI.Federation.Privacy;

/// <summary>What a client reveals to unmask the sum: its self mask, and its pairwise seeds with the peers that fell out.</summary>
/// <param name="ClientId">The revealing client.</param>
/// <param name="SelfSeed">The seed of its self mask b_u.</param>
/// <param name="PeerSeeds">Its pairwise seeds s_uv with each peer v that is not among the survivors.</param>
public sealed record AggregationReveal(string ClientId, byte[] SelfSeed, IReadOnlyDictionary<string, byte[]> PeerSeeds);

/// <summary>
/// A client's secrets for one phase of secure aggregation (Bonawitz et al. 2017, without the
/// secret sharing): a fresh ECDH key pair on P-256, whose public half the server relays to the
/// other clients, and a self-mask seed. The client sends y_u = q_u + PRG(b_u) + sum over peers of
/// ±PRG(s_uv), with s_uv from ECDH between u and v (+ when u sorts before v, - after), so the
/// pairwise masks cancel in the sum over all peers; what is left is removed with what the
/// survivors reveal. The server learns the sum of the updates and nothing of any one of them.
/// </summary>
public sealed class AggregationSecret : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _selfSeed = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, byte[]> _peerSeeds = new(StringComparer.Ordinal);

    /// <summary>
    /// Secrets of client <paramref name="clientId"/> for its request <paramref name="requestId"/> in
    /// round <paramref name="round"/>, freshly drawn. The round names the pairwise seeds, so every
    /// client of the phase derives the same seed with each peer.
    /// </summary>
    public AggregationSecret(string clientId, long requestId, int round)
    {
        ClientId = clientId;
        RequestId = requestId;
        Round = round;
        PublicKey = _key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The round whose fit phase the secrets are for.</summary>
    public int Round { get; }

    /// <summary>The client.</summary>
    public string ClientId { get; }

    /// <summary>The client's request (its task of the phase) the secrets are for.</summary>
    public long RequestId { get; }

    /// <summary>The public key, to be relayed to the peers (SubjectPublicKeyInfo, DER).</summary>
    public byte[] PublicKey { get; }

    /// <summary>
    /// The masked fixed-point form of <paramref name="samples"/> x <paramref name="delta"/>, masked
    /// against every one of <paramref name="peers"/> (the sampled clients' public keys, this client's
    /// own among them or not).
    /// </summary>
    /// <exception cref="ArgumentException">A peer's key is not a P-256 public key, or the delta does not fit the fixed-point form.</exception>
    public ulong[] Mask(ReadOnlySpan<float> delta, int samples, IReadOnlyDictionary<string, byte[]> peers)
    {
        var masked = MaskedSum.Quantize(delta, samples);
        MaskedSum.AddMask(masked, _selfSeed, +1);
        foreach (var (peer, key) in peers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (peer == ClientId) continue;
            var seed = _peerSeeds[peer] = PairwiseSeed(peer, key);
            MaskedSum.AddMask(masked, seed, Sign(ClientId, peer));
        }
        return masked;
    }

    /// <summary>The self seed and the pairwise seeds with every masked-against peer missing from <paramref name="survivors"/>.</summary>
    /// <exception cref="InvalidOperationException">This client is not among the survivors: its update is not in the sum, and it reveals nothing.</exception>
    public AggregationReveal Reveal(IReadOnlyCollection<string> survivors)
    {
        if (!survivors.Contains(ClientId)) throw new InvalidOperationException($"client {ClientId} is not among the survivors; it reveals nothing");
        return new AggregationReveal(ClientId, (byte[])_selfSeed.Clone(),
            _peerSeeds.Where(p => !survivors.Contains(p.Key)).ToDictionary(p => p.Key, p => (byte[])p.Value.Clone(), StringComparer.Ordinal));
    }

    /// <summary>+1 when <paramref name="client"/> sorts before <paramref name="peer"/>: it adds their mask, the peer subtracts it.</summary>
    public static int Sign(string client, string peer) => string.CompareOrdinal(client, peer) < 0 ? +1 : -1;

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    private byte[] PairwiseSeed(string peer, byte[] publicKey)
    {
        using var other = ECDiffieHellman.Create();
        try
        {
            other.ImportSubjectPublicKeyInfo(publicKey, out _);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"the key of peer {peer} is not a public key: {e.Message}", e);
        }
        var (first, second) = Sign(ClientId, peer) > 0 ? (ClientId, peer) : (peer, ClientId);
        // Both ends derive the same seed: ECDH is symmetric, and the label names the pair in order.
        var label = Encoding.UTF8.GetBytes($"qsi secure aggregation, round {Round}: {first} {second}");
        return _key.DeriveKeyFromHash(other.PublicKey, HashAlgorithmName.SHA256, label, null);
    }
}
