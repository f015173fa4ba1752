using System.Security.Cryptography;
using System.Text;

namespace QSI.Federation.Privacy;

/// <summary>What removes a survivor's masks from the sum: its self mask, and its pairwise seeds with the peers that fell out (rebuilt from shares).</summary>
/// <param name="ClientId">The survivor.</param>
/// <param name="SelfSeed">The seed of its self mask b_u.</param>
/// <param name="PeerSeeds">Its pairwise seeds s_uv with each peer v that is not among the survivors.</param>
public sealed record AggregationReveal(string ClientId, byte[] SelfSeed, IReadOnlyDictionary<string, byte[]> PeerSeeds);

/// <summary>
/// A client's masking secrets for one phase of secure aggregation (Bonawitz et al. 2017): a
/// fresh ECDH key pair s_u on P-256, whose public half the server relays to the other clients,
/// and a self-mask seed b_u; both are secret-shared among the peers (SecAgg.SecAggClient). The client sends y_u = q_u + PRG(b_u) + sum over peers of
/// ±PRG(s_uv), with s_uv from ECDH between u and v (+ when u sorts before v, - after), so the
/// pairwise masks cancel in the sum over all peers; what is left is removed with what the
/// survivors reveal. The server learns the sum of the updates and nothing of any one of them.
/// </summary>
public sealed class AggregationSecret : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _selfSeed = RandomNumberGenerator.GetBytes(32);

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
            var seed = PairwiseSeed(peer, key);
            MaskedSum.AddMask(masked, seed, Sign(ClientId, peer));
        }
        return masked;
    }

    /// <summary>The self-mask seed b_u, to be secret-shared among the peers.</summary>
    public byte[] SelfSeed() => (byte[])_selfSeed.Clone();

    /// <summary>The private scalar of s_u^SK (32 bytes), to be secret-shared among the peers.</summary>
    public byte[] PrivateScalar() => _key.ExportParameters(includePrivateParameters: true).D!;

    /// <summary>+1 when <paramref name="client"/> sorts before <paramref name="peer"/>: it adds their mask, the peer subtracts it.</summary>
    public static int Sign(string client, string peer) => string.CompareOrdinal(client, peer) < 0 ? +1 : -1;

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    private byte[] PairwiseSeed(string peer, byte[] publicKey) => PairwiseSeed(_key, ClientId, peer, publicKey, Round);

    /// <summary>
    /// s_uv: the ECDH secret of <paramref name="own"/> (client <paramref name="client"/>'s s_u^SK)
    /// and <paramref name="peer"/>'s public key, hashed with the round and both names in order, so
    /// both ends derive the same seed (ECDH is symmetric) and so does whoever rebuilds either key.
    /// </summary>
    /// <exception cref="ArgumentException">The peer's key is not a public key.</exception>
    public static byte[] PairwiseSeed(ECDiffieHellman own, string client, string peer, byte[] publicKey, int round)
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
        var (first, second) = Sign(client, peer) > 0 ? (client, peer) : (peer, client);
        var label = Encoding.UTF8.GetBytes($"qsi secure aggregation, round {round}: {first} {second}");
        return own.DeriveKeyFromHash(other.PublicKey, HashAlgorithmName.SHA256, label, null);
    }

    /// <summary>
    /// The key pair of <paramref name="publicKey"/> with the private scalar <paramref name="scalar"/>
    /// (as rebuilt from shares); null when the scalar is not that key's.
    /// </summary>
    public static ECDiffieHellman? Restore(byte[] scalar, byte[] publicKey)
    {
        using var pub = ECDiffieHellman.Create();
        pub.ImportSubjectPublicKeyInfo(publicKey, out _);
        var parameters = pub.ExportParameters(includePrivateParameters: false);
        var restored = ECDiffieHellman.Create();
        try
        {
            restored.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
            var q = restored.ExportParameters(includePrivateParameters: false).Q;
            if (q.X.AsSpan().SequenceEqual(parameters.Q.X) && q.Y.AsSpan().SequenceEqual(parameters.Q.Y)) return restored;
        }
        catch (CryptographicException)
        {
        }
        restored.Dispose();
        return null;
    }
}
