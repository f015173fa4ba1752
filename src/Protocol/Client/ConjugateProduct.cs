using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QSI.Protocol.Client;

/// <summary>
/// b0/s = sum_j conj(x_j) alpha_j/s for packed (re, im) pairs, in one pass over the row:
/// Re = w . x and Im = w . Jx, with Jx = (-x1, x0, -x3, x2, ...) (PROTOCOL.md section 3, step 2).
/// </summary>
/// <remarks>
/// Jx is formed in registers by swapping neighbours of x, so the pass loads a row and the input
/// once, exactly as a plain dot product does, and secure inference runs close to the speed of
/// digital inference. TensorPrimitives offers no complex product of this packed form.
/// </remarks>
internal static class ConjugateProduct
{
    public static (float Re, float Im) Compute(ReadOnlySpan<float> row, ReadOnlySpan<float> x)
    {
        var done = 0;
        float re = 0, im = 0;
        if (Vector256.IsHardwareAccelerated && row.Length >= 32)
        {
            var rows = MemoryMarshal.Cast<float, Vector256<float>>(row);
            var xs = MemoryMarshal.Cast<float, Vector256<float>>(x);
            var swap = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
            // Eight independent accumulators keep both FMA units busy despite their latency.
            Vector256<float> re0 = default, re1 = default, re2 = default, re3 = default;
            Vector256<float> im0 = default, im1 = default, im2 = default, im3 = default;
            var blocks = rows.Length / 4;
            for (var k = 0; k < 4 * blocks; k += 4)
            {
                var x0 = xs[k];
                var x1 = xs[k + 1];
                var x2 = xs[k + 2];
                var x3 = xs[k + 3];
                re0 = Vector256.FusedMultiplyAdd(rows[k], x0, re0);
                re1 = Vector256.FusedMultiplyAdd(rows[k + 1], x1, re1);
                re2 = Vector256.FusedMultiplyAdd(rows[k + 2], x2, re2);
                re3 = Vector256.FusedMultiplyAdd(rows[k + 3], x3, re3);
                im0 = Vector256.FusedMultiplyAdd(rows[k], Vector256.Shuffle(x0, swap), im0);
                im1 = Vector256.FusedMultiplyAdd(rows[k + 1], Vector256.Shuffle(x1, swap), im1);
                im2 = Vector256.FusedMultiplyAdd(rows[k + 2], Vector256.Shuffle(x2, swap), im2);
                im3 = Vector256.FusedMultiplyAdd(rows[k + 3], Vector256.Shuffle(x3, swap), im3);
            }
            // im lanes hold w_k x_(k xor 1); Jx's signs are -1 on even lanes, +1 on odd ones.
            var signs = Vector256.Create(-1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f);
            re = Vector256.Sum((re0 + re1) + (re2 + re3));
            im = Vector256.Sum(((im0 + im1) + (im2 + im3)) * signs);
            done = blocks * 4 * Vector256<float>.Count;
        }
        for (var j = done; j < row.Length; j += 2)
        {
            re += row[j] * x[j] + row[j + 1] * x[j + 1];
            im += row[j + 1] * x[j] - row[j] * x[j + 1];
        }
        return (re, im);
    }
}
