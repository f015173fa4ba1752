using System.Security.Cryptography;

namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// What a client advertises for one secure-aggregation task, the public halves of three fresh
/// P-256 key pairs (SubjectPublicKeyInfo, DER): s_u for the pairwise masks, c_u for the encrypted
/// shares its peers send it, and d_u for its signature over the survivor list.
/// </summary>
/// <param name="Masking">s_u^PK, ECDH: the pairwise mask seeds s_uv.</param>
/// <param name="Sharing">c_u^PK, ECDH: the keys of the share envelopes between u and each peer.</param>
/// <param name="Signing">d_u^PK, ECDSA: the consistency check.</param>
public sealed record AdvertisedKeys(byte[] Masking, byte[] Sharing, byte[] Signing)
{
    /// <summary>Bytes of a P-256 public key as SubjectPublicKeyInfo.</summary>
    public const int PublicKeyBytes = 91;

    /// <summary>Null when all three are P-256 public keys; else what is wrong, naming <paramref name="client"/>.</summary>
    public string? Problem(string client)
    {
        foreach (var (name, key) in new[] { ("masking", Masking), ("sharing", Sharing), ("signing", Signing) })
        {
            try
            {
                using var ecdh = ECDiffieHellman.Create();
                ecdh.ImportSubjectPublicKeyInfo(key, out var read);
                if (read != key.Length || ecdh.KeySize != 256) return $"the {name} key of {client} is not a P-256 public key";
            }
            catch (CryptographicException)
            {
                return $"the {name} key of {client} is not a public key";
            }
        }
        return Masking.AsSpan().SequenceEqual(Sharing) ? $"{client} advertised one key for masking and sharing" : null;
    }

    /// <summary>The ECDH public key of <paramref name="spki"/>.</summary>
    /// <exception cref="ArgumentException">It is not a public key.</exception>
    internal static ECDiffieHellman ImportEcdh(byte[] spki, string owner)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out _);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException($"the key of {owner} is not a public key: {e.Message}", e);
        }
    }
}
