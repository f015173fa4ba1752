using System.Security.Cryptography;
using System.Text;

namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// Bonawitz et al.'s round 3: every survivor signs the survivor list it was sent, and reveals
/// its shares only once it has seen at least t valid signatures over the very same list, so a
/// server that tells different clients different lists gets no shares for either.
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>The bytes signed: the round and the survivors in ordinal order, each name quoted with its length.</summary>
    public static byte[] Statement(int round, IEnumerable<string> survivors)
    {
        var text = new StringBuilder($"qsi secagg survivors, round {round}:");
        foreach (var survivor in survivors.Order(StringComparer.Ordinal)) text.Append(' ').Append(survivor.Length).Append(':').Append(survivor);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>True when <paramref name="signature"/> is the signature under <paramref name="signingKey"/> (d_v^PK) of the statement of <paramref name="survivors"/>.</summary>
    public static bool Verify(byte[] signingKey, int round, IEnumerable<string> survivors, byte[] signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(signingKey, out _);
            return key.VerifyData(Statement(round, survivors), signature, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
