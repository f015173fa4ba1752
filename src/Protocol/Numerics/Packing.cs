using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSI.Protocol.Numerics;

/// <summary>
/// Copies of B's columns into the sliver layout the micro-kernel reads: for each depth p, the
/// sliver's NR columns side by side, zero beyond the matrix's last column.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>B(p, j) = source[p stride + j]: each depth is a contiguous run of the row.</summary>
    public static void Rows(float* source, nint stride, int depth, int width, int nr, float* target)
    {
        for (var p = 0; p < depth; p++)
        {
            var destination = new Span<float>(target + (long)p * nr, nr);
            new ReadOnlySpan<float>(source + p * stride, width).CopyTo(destination);
            if (width < nr)
                destination[width..].Clear();
        }
    }

    /// <summary>B(p, j) = source[j stride + p]: a transposition, 8 x 8 blocks at a time where AVX allows.</summary>
    public static void Transposed(float* source, nint stride, int depth, int width, int nr, float* target)
    {
        var groups = Avx.IsSupported ? width / 8 : 0;
        var blocked = depth / 8 * 8;
        for (var g = 0; g < groups; g++)
        {
            var s = source + g * 8 * stride;
            var t = target + g * 8;
            for (var p = 0; p < blocked; p += 8)
                Transpose8(s + p, stride, t + (long)p * nr, nr);
            for (var p = blocked; p < depth; p++)
                for (var j = 0; j < 8; j++)
                    t[(long)p * nr + j] = s[j * stride + p];
        }

        for (var p = 0; p < depth; p++)
        {
            var row = target + (long)p * nr;
            for (var j = groups * 8; j < width; j++)
                row[j] = source[j * stride + p];
            for (var j = width; j < nr; j++)
                row[j] = 0f;
        }
    }

    // Rows j = 0..7 of source at depths p..p+7 become depths p..p+7 of the target, 8 columns each.
    private static void Transpose8(float* s, nint stride, float* t, nint nr)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + stride);
        var r2 = Avx.LoadVector256(s + 2 * stride);
        var r3 = Avx.LoadVector256(s + 3 * stride);
        var r4 = Avx.LoadVector256(s + 4 * stride);
        var r5 = Avx.LoadVector256(s + 5 * stride);
        var r6 = Avx.LoadVector256(s + 6 * stride);
        var r7 = Avx.LoadVector256(s + 7 * stride);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(t, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(t + nr, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(t + 2 * nr, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(t + 3 * nr, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(t + 4 * nr, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(t + 5 * nr, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(t + 6 * nr, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(t + 7 * nr, Avx.Permute2x128(u3, u7, 0x31));
    }
}
