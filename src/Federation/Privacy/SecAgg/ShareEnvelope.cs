using System.Security.Cryptography;
using System.Text;

namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// A client's shares for one peer, sealed so that only the peer can open them: AES-256-GCM
/// under a key from ECDH between the sender's c_u and the recipient's c_v, with the sender,
/// the recipient and the round as associated data, so the server that relays it can neither
/// read it nor pass it off as from or to anyone else.
/// </summary>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient.</param>
/// <param name="Sealed">Nonce (12 bytes), ciphertext, tag (16 bytes).</param>
public sealed record ShareEnvelope(string From, string To, byte[] Sealed)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Most bytes of a sealed envelope on the wire.</summary>
    public const int MaxSealedBytes = 1024;

    /// <summary>Seals <paramref name="plaintext"/> from <paramref name="from"/> (its key <paramref name="own"/>) to <paramref name="to"/> (its key <paramref name="peer"/>) in round <paramref name="round"/>.</summary>
    public static ShareEnvelope Seal(ECDiffieHellman own, string from, string to, byte[] peer, int round, ReadOnlySpan<byte> plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        nonce.CopyTo(sealedBytes, 0);
        using var aes = new AesGcm(Key(own, from, to, peer, round), TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), Associated(from, to, round));
        return new ShareEnvelope(from, to, sealedBytes);
    }

    /// <summary>Opens the envelope as its recipient (its key <paramref name="own"/>), the sender's key being <paramref name="sender"/>.</summary>
    /// <exception cref="ArgumentException">It was not sealed by that sender for this recipient in this round, or was changed on the way.</exception>
    public byte[] Open(ECDiffieHellman own, byte[] sender, int round)
    {
        if (Sealed.Length < NonceBytes + TagBytes) throw new ArgumentException($"the envelope from {From} is too short");
        var plaintext = new byte[Sealed.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(Key(own, To, From, sender, round), TagBytes);
            aes.Decrypt(Sealed.AsSpan(0, NonceBytes), Sealed.AsSpan(NonceBytes, plaintext.Length), Sealed.AsSpan(NonceBytes + plaintext.Length), plaintext, Associated(From, To, round));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ArgumentException($"the envelope from {From} to {To} does not open: it was not sealed by {From} for {To} in round {round}, or it was changed");
        }
        return plaintext;
    }

    private static byte[] Associated(string from, string to, int round) => Encoding.UTF8.GetBytes($"qsi secagg shares, round {round}, from {Quote(from)} to {Quote(to)}");

    private static byte[] Key(ECDiffieHellman own, string self, string other, byte[] peer, int round)
    {
        using var peerKey = AdvertisedKeys.ImportEcdh(peer, other);
        var (first, second) = string.CompareOrdinal(self, other) < 0 ? (self, other) : (other, self);
        var label = Encoding.UTF8.GetBytes($"qsi secagg share key, round {round}: {Quote(first)} {Quote(second)}");
        return own.DeriveKeyFromHash(peerKey.PublicKey, HashAlgorithmName.SHA256, label, null);
    }

    // Names are quoted with their length, so no pair of names reads as another pair.
    private static string Quote(string name) => $"{name.Length}:{name}";
}
