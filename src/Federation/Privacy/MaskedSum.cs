using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace QSI.Federation.Privacy;

/// <summary>
/// The arithmetic of secure aggregation: updates become fixed-point integers modulo 2^64, masks
/// are uniform integers from AES-256 in counter mode, and sums wrap, so masks that are added by
/// one client and subtracted by another cancel exactly, bit for bit, whatever the order.
/// </summary>
public static class MaskedSum
{
    /// <summary>Fractional bits of the fixed-point form: n Δ is carried as round(n Δ 2^24).</summary>
    public const int FractionBits = 24;

    private const double Scale = 1 << FractionBits;

    // |n Δ| below 2^38 leaves 2^25 headroom for sums over clients before the signed value wraps.
    private const double Limit = 1L << 38;

    /// <summary>round(<paramref name="weight"/> x value x 2^24) of every value, as two's-complement integers.</summary>
    /// <exception cref="ArgumentException">A value is not finite or too large for the fixed-point form.</exception>
    public static ulong[] Quantize(ReadOnlySpan<float> values, double weight)
    {
        var result = new ulong[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            var scaled = weight * values[k];
            if (!(Math.Abs(scaled) < Limit)) throw new ArgumentException($"value {k} ({values[k]}) times {weight} does not fit the fixed-point form of secure aggregation");
            result[k] = unchecked((ulong)(long)Math.Round(scaled * Scale));
        }
        return result;
    }

    /// <summary>The mean of a sum of quantized values over a total weight of <paramref name="totalWeight"/>.</summary>
    public static float[] Mean(ReadOnlySpan<ulong> sum, double totalWeight)
    {
        var mean = new float[sum.Length];
        for (var k = 0; k < sum.Length; k++) mean[k] = (float)(unchecked((long)sum[k]) / Scale / totalWeight);
        return mean;
    }

    /// <summary><paramref name="target"/> += <paramref name="sign"/> x the mask of <paramref name="seed"/>, modulo 2^64.</summary>
    public static void AddMask(Span<ulong> target, ReadOnlySpan<byte> seed, int sign)
    {
        var mask = Mask(seed, target.Length);
        for (var k = 0; k < target.Length; k++) target[k] = sign > 0 ? unchecked(target[k] + mask[k]) : unchecked(target[k] - mask[k]);
    }

    /// <summary><paramref name="target"/> += <paramref name="other"/>, modulo 2^64.</summary>
    public static void Add(Span<ulong> target, ReadOnlySpan<ulong> other)
    {
        if (other.Length != target.Length) throw new ArgumentException($"{other.Length} values to add to {target.Length}");
        for (var k = 0; k < target.Length; k++) target[k] = unchecked(target[k] + other[k]);
    }

    /// <summary>
    /// <paramref name="count"/> uniform 64-bit integers: AES-256 of the counter 0, 1, 2, ... under
    /// the key <paramref name="seed"/> (32 bytes), two integers per block.
    /// </summary>
    public static ulong[] Mask(ReadOnlySpan<byte> seed, int count)
    {
        if (seed.Length != 32) throw new ArgumentException($"a mask seed has 32 bytes; got {seed.Length}");
        using var aes = Aes.Create();
        aes.Key = seed.ToArray();
        var blocks = (count + 1) / 2;
        var counters = new byte[blocks * 16];
        for (var b = 0; b < blocks; b++) BinaryPrimitives.WriteInt64LittleEndian(counters.AsSpan(b * 16), b);
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var mask = new ulong[count];
        MemoryMarshal.Cast<byte, ulong>(stream.AsSpan())[..count].CopyTo(mask);
        if (!BitConverter.IsLittleEndian) for (var k = 0; k < count; k++) mask[k] = BinaryPrimitives.ReverseEndianness(mask[k]);
        return mask;
    }

    private static ReadOnlySpan<byte> Magic => "QSIA"u8;

    /// <summary>The wire form of a masked vector: "QSIA", version 1, the count, the integers, little-endian.</summary>
    public static byte[] Encode(ReadOnlySpan<ulong> values)
    {
        var bytes = new byte[12 + 8L * values.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), values.Length);
        for (var k = 0; k < values.Length; k++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(12 + 8 * k), values[k]);
        return bytes;
    }

    /// <summary>Reads what <see cref="Encode"/> wrote, which must hold <paramref name="count"/> integers.</summary>
    /// <exception cref="FormatException">The bytes are not such a vector, in one line.</exception>
    public static ulong[] Decode(ReadOnlySpan<byte> bytes, long count)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual(Magic)) throw new FormatException("masked update: bad magic; expected QSIA");
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]) != 1) throw new FormatException("masked update: format version is not 1");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (length != count || bytes.Length != 12 + 8L * length)
            throw new FormatException($"masked update: {bytes.Length} bytes for {length} values; the model has {count}");
        var values = new ulong[length];
        for (var k = 0; k < length; k++) values[k] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(12 + 8 * k)..]);
        return values;
    }
}
