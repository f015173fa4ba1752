namespace QSI.Protocol.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna, public domain): the uniform stream behind the Gaussian
/// draws of the hot path. System.Random's seeded algorithm and MathNet's generators cost 5 to
/// 20 ns a draw through their virtual call chains; this is about 1 ns, and the secure path
/// draws one Gaussian per row of every frame it uses.
/// </summary>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the state from <paramref name="seed"/> with SplitMix64, as the authors recommend.</summary>
    public Xoshiro256(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in (0, 1], never zero (53 random bits).</summary>
    public double NextOpenUnit() => ((Next() >> 11) + 1) * (1.0 / (1UL << 53));

    internal static ulong SplitMix64(ref ulong state)
    {
        var z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
