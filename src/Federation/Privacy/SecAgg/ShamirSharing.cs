using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace QSI.Federation.Privacy.SecAgg;

/// <summary>One share of a secret: the evaluation point x and, for every chunk of the secret, the polynomial's value there.</summary>
/// <param name="X">The point, 1 to the number of shares (0 holds the secret).</param>
/// <param name="Values">f_c(x) for every chunk c, each in GF(p).</param>
public sealed record ShamirShare(int X, BigInteger[] Values)
{
    /// <summary>The wire form: x (4 bytes), then 16 bytes per chunk, all little-endian.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[4 + ShamirSharing.ElementBytes * Values.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, X);
        for (var c = 0; c < Values.Length; c++) Values[c].TryWriteBytes(bytes.AsSpan(4 + ShamirSharing.ElementBytes * c, ShamirSharing.ElementBytes), out _, isUnsigned: true);
        return bytes;
    }

    /// <summary>Reads what <see cref="Encode"/> wrote for a secret of <paramref name="secretBytes"/> bytes.</summary>
    /// <exception cref="FormatException">The bytes are not such a share, in one line.</exception>
    public static ShamirShare Decode(ReadOnlySpan<byte> bytes, int secretBytes)
    {
        var chunks = ShamirSharing.Chunks(secretBytes);
        if (bytes.Length != 4 + ShamirSharing.ElementBytes * chunks) throw new FormatException($"a share of a {secretBytes}-byte secret has {4 + ShamirSharing.ElementBytes * chunks} bytes; got {bytes.Length}");
        var x = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (x < 1) throw new FormatException($"a share's point must be at least 1; got {x}");
        var values = new BigInteger[chunks];
        for (var c = 0; c < chunks; c++)
        {
            values[c] = new BigInteger(bytes.Slice(4 + ShamirSharing.ElementBytes * c, ShamirSharing.ElementBytes), isUnsigned: true);
            if (values[c] >= ShamirSharing.Prime) throw new FormatException($"chunk {c} of a share is not in the field");
        }
        return new ShamirShare(x, values);
    }
}

/// <summary>
/// Shamir's (t, n) secret sharing over GF(p), p = 2^127 - 1 (Shamir 1979): the secret is cut
/// into 15-byte chunks, each chunk the constant term of a random polynomial of degree t - 1, and
/// share k is every polynomial's value at x = k. Any t shares give the polynomials back by Lagrange
/// interpolation at 0; any t - 1 are consistent with every secret, so they tell nothing of it.
/// </summary>
public static class ShamirSharing
{
    /// <summary>The field's prime, the Mersenne prime 2^127 - 1.</summary>
    public static readonly BigInteger Prime = (BigInteger.One << 127) - 1;

    /// <summary>Bytes of one field element on the wire.</summary>
    public const int ElementBytes = 16;

    /// <summary>Bytes of the secret in one chunk: 120 bits, below p.</summary>
    public const int ChunkBytes = 15;

    /// <summary>The chunks of a secret of <paramref name="secretBytes"/> bytes.</summary>
    public static int Chunks(int secretBytes) => (secretBytes + ChunkBytes - 1) / ChunkBytes;

    /// <summary>
    /// <paramref name="count"/> shares of <paramref name="secret"/>, any <paramref name="threshold"/>
    /// of which rebuild it; share k (from 0) is at x = k + 1. The coefficients come from
    /// <paramref name="random"/> (the system's CSPRNG unless a test gives its own).
    /// </summary>
    /// <exception cref="ArgumentException">The threshold is not in [1, count], or there are more shares than the field has points.</exception>
    public static ShamirShare[] Split(ReadOnlySpan<byte> secret, int threshold, int count, Action<Span<byte>>? random = null)
    {
        if (threshold < 1 || threshold > count) throw new ArgumentException($"a threshold of {threshold} for {count} shares; it must be in [1, {count}]");
        random ??= RandomNumberGenerator.Fill;
        var chunks = Chunks(secret.Length);
        var values = new BigInteger[count][];
        for (var k = 0; k < count; k++) values[k] = new BigInteger[chunks];
        var coefficients = new BigInteger[threshold];
        for (var c = 0; c < chunks; c++)
        {
            var start = c * ChunkBytes;
            coefficients[0] = new BigInteger(secret[start..Math.Min(secret.Length, start + ChunkBytes)], isUnsigned: true);
            for (var d = 1; d < threshold; d++) coefficients[d] = RandomElement(random);
            for (var k = 0; k < count; k++) values[k][c] = Evaluate(coefficients, k + 1);
        }
        return [.. values.Select((v, k) => new ShamirShare(k + 1, v))];
    }

    /// <summary>The secret of <paramref name="secretBytes"/> bytes that <paramref name="shares"/> (at least the threshold, at distinct points) rebuild.</summary>
    /// <exception cref="ArgumentException">No shares, two at one point, or shares of different lengths.</exception>
    public static byte[] Combine(IReadOnlyList<ShamirShare> shares, int secretBytes)
    {
        var chunks = Chunks(secretBytes);
        if (shares.Count == 0) throw new ArgumentException("no shares to combine");
        if (shares.Select(s => s.X).Distinct().Count() != shares.Count) throw new ArgumentException("two shares at the same point");
        if (shares.Any(s => s.Values.Length != chunks)) throw new ArgumentException($"a share does not have the {chunks} chunks of a {secretBytes}-byte secret");
        // Lagrange at 0: f(0) = sum_i y_i prod_{j != i} x_j / (x_j - x_i).
        var basis = new BigInteger[shares.Count];
        for (var i = 0; i < shares.Count; i++)
        {
            BigInteger numerator = 1, denominator = 1;
            for (var j = 0; j < shares.Count; j++)
            {
                if (j == i) continue;
                numerator = numerator * shares[j].X % Prime;
                denominator = denominator * Mod(shares[j].X - shares[i].X) % Prime;
            }
            basis[i] = numerator * BigInteger.ModPow(denominator, Prime - 2, Prime) % Prime;
        }
        var secret = new byte[chunks * ChunkBytes];
        for (var c = 0; c < chunks; c++)
        {
            BigInteger value = 0;
            for (var i = 0; i < shares.Count; i++) value = (value + shares[i].Values[c] * basis[i]) % Prime;
            // A wrong set of shares can give a value past 120 bits; its low bytes are as wrong as any.
            var bytes = value.ToByteArray(isUnsigned: true);
            bytes.AsSpan(0, Math.Min(bytes.Length, ChunkBytes)).CopyTo(secret.AsSpan(c * ChunkBytes));
        }
        return secret[..secretBytes];
    }

    /// <summary>The polynomial of <paramref name="coefficients"/> (constant term first) at <paramref name="x"/>, by Horner's rule.</summary>
    public static BigInteger Evaluate(IReadOnlyList<BigInteger> coefficients, BigInteger x)
    {
        BigInteger value = 0;
        for (var d = coefficients.Count - 1; d >= 0; d--) value = (value * x + coefficients[d]) % Prime;
        return value;
    }

    /// <summary>A uniform element of GF(p): 127 random bits, drawn again in the one case (all ones) that is p itself.</summary>
    private static BigInteger RandomElement(Action<Span<byte>> random)
    {
        Span<byte> bytes = stackalloc byte[ElementBytes];
        while (true)
        {
            random(bytes);
            bytes[^1] &= 0x7F;
            var value = new BigInteger(bytes, isUnsigned: true);
            if (value < Prime) return value;
        }
    }

    private static BigInteger Mod(BigInteger value) => (value % Prime + Prime) % Prime;
}
