using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QSI.Protocol.Randomness;

/// <summary>
/// Pairs of independent standard normals from pairs of uniform words, by the Box-Muller
/// transform (R cos θ, R sin θ) with R = sqrt(-2 ln u), evaluated four lanes at a time.
/// </summary>
/// <remarks>
/// The angle needs no general sine and cosine: θ uniform on [0, 2π) gives the same pair law as
/// φ uniform on [0, π/2) with an independent random sign on each coordinate (a quadrant is a
/// choice of signs, and φ ↦ π/2 - φ swaps cos and sin without changing φ's law). With ψ = φ - π/4
/// in [-π/4, π/4), cos φ = (cos ψ - sin ψ)/√2 and sin φ = (cos ψ + sin ψ)/√2, and the Taylor
/// series of sin ψ to ψ¹⁵ and of cos ψ to ψ¹⁶ are exact to 5e-17 there. The uniforms take the
/// top 52 bits of each word; the angle's word gives its two lowest bits for the signs.
/// </remarks>
internal static class BoxMuller
{
    private const ulong OneBits = 0x3FF0000000000000UL; // 1.0: OR-ing 52 random mantissa bits gives [1, 2)

    /// <summary>
    /// Writes <paramref name="radius"/>.Length pairs: first coordinates into <paramref name="first"/>,
    /// second into <paramref name="second"/>. <paramref name="radius"/> and <paramref name="angle"/> are
    /// scratch filled here from <paramref name="bits"/>; all four spans have the same length, a multiple of 8.
    /// </summary>
    public static void Fill(ref Xoshiro256 bits, Span<double> radius, Span<double> angle, Span<double> first, Span<double> second)
    {
        var radii = MemoryMarshal.Cast<double, Vector256<double>>(radius);
        var angles = MemoryMarshal.Cast<double, Vector256<double>>(angle);
        var one = Vector256.Create(OneBits);
        var two = Vector256.Create(2.0);
        for (var k = 0; k < radii.Length; k += 2)
        {
            bits.Next(out var a, out var b);
            // u = 2 - [1, 2) is in (0, 1]: its logarithm is finite. The angle word keeps its low bits whole.
            radii[k] = two - ((a >> 12) | one).AsDouble();
            angles[k] = b.AsDouble();
            bits.Next(out a, out b);
            radii[k + 1] = two - ((a >> 12) | one).AsDouble();
            angles[k + 1] = b.AsDouble();
        }
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2.0, radius);
        TensorPrimitives.Sqrt(radius, radius);

        var firsts = MemoryMarshal.Cast<double, Vector256<double>>(first);
        var seconds = MemoryMarshal.Cast<double, Vector256<double>>(second);
        var halfPi = Vector256.Create(Math.PI / 2);
        var half = Vector256.Create(0.5);
        var invSqrt2 = Vector256.Create(Math.Sqrt(0.5));
        var signBit = Vector256.Create(1UL << 63);
        for (var k = 0; k < radii.Length; k++)
        {
            var word = angles[k].AsUInt64();
            var f = ((word >> 12) | one).AsDouble() - Vector256<double>.One; // [0, 1)
            var psi = (f - half) * halfPi;                                   // [-π/4, π/4)
            var (sin, cos) = SinCos(psi);
            var r = radii[k];
            var x = (cos - sin) * invSqrt2 * r;
            var y = (cos + sin) * invSqrt2 * r;
            firsts[k] = (x.AsUInt64() ^ ((word << 63) & signBit)).AsDouble();
            seconds[k] = (y.AsUInt64() ^ ((word << 62) & signBit)).AsDouble();
        }
    }

    // Taylor series on [-π/4, π/4] in Horner form over ψ².
    private static (Vector256<double> Sin, Vector256<double> Cos) SinCos(Vector256<double> psi)
    {
        var p2 = psi * psi;
        var s = Vector256.Create(1.0 / 1307674368000);                       // 1/15!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 6227020800)); // 1/13!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 39916800));   // 1/11!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 362880));     // 1/9!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 5040));       // 1/7!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 120));        // 1/5!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256.Create(1.0 / 6));          // 1/3!
        s = Vector256.FusedMultiplyAdd(s, -p2, Vector256<double>.One);
        var c = Vector256.Create(1.0 / 20922789888000);                      // 1/16!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 87178291200));  // 1/14!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 479001600));    // 1/12!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 3628800));      // 1/10!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 40320));        // 1/8!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 720));          // 1/6!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(1.0 / 24));           // 1/4!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256.Create(0.5));                // 1/2!
        c = Vector256.FusedMultiplyAdd(c, -p2, Vector256<double>.One);
        return (s * psi, c);
    }
}
