using System.Runtime.Intrinsics;

namespace QSI.Protocol.Randomness;

/// <summary>
/// Eight independent xoshiro256** generators (Blackman and Vigna) stepped together in two
/// 256-bit registers of four lanes each: 64 random bits per lane and step, eight at a time,
/// for the batched Gaussian draws of <see cref="NoiseSource"/>. System.Random's seeded algorithm
/// and MathNet's generators cost 5 to 20 ns a draw through their virtual call chains; this costs
/// a fraction of a nanosecond.
/// </summary>
/// <remarks>
/// The scrambler's multiplications by 5 and 9 are written as shifts and adds (x + 4x, x + 8x),
/// which every 256-bit instruction set has; a 64-bit lane multiply would need AVX-512.
/// </remarks>
internal struct Xoshiro256
{
    private Vector256<ulong> _a0, _a1, _a2, _a3, _b0, _b1, _b2, _b3;

    /// <summary>Seeds the 32 words of state from <paramref name="seed"/> with SplitMix64, as the authors recommend.</summary>
    public Xoshiro256(ulong seed)
    {
        Vector256<ulong> Word() => Vector256.Create(
            SplitMix64(ref seed), SplitMix64(ref seed), SplitMix64(ref seed), SplitMix64(ref seed));
        (_a0, _a1, _a2, _a3) = (Word(), Word(), Word(), Word());
        (_b0, _b1, _b2, _b3) = (Word(), Word(), Word(), Word());
    }

    /// <summary>The next 64 bits of each of the eight generators.</summary>
    public void Next(out Vector256<ulong> first, out Vector256<ulong> second)
    {
        first = Step(ref _a0, ref _a1, ref _a2, ref _a3);
        second = Step(ref _b0, ref _b1, ref _b2, ref _b3);
    }

    private static Vector256<ulong> Step(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        var times5 = s1 + (s1 << 2);
        var rotated = (times5 << 7) | (times5 >> 57);
        var result = rotated + (rotated << 3);
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >> 19);
        return result;
    }

    internal static ulong SplitMix64(ref ulong state)
    {
        var z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
