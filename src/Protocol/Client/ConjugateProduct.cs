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
        if (Vector256.IsHardwareAccelerated && row.Length >= 16)
        {
            var rows = MemoryMarshal.Cast<float, Vector256<float>>(row);
            var xs = MemoryMarshal.Cast<float, Vector256<float>>(x);
            var swap = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
            Vector256<float> re0 = default, re1 = default, im0 = default, im1 = default;
            var pairs = rows.Length / 2;
            for (var k = 0; k < pairs; k++)
            {
                var w0 = rows[2 * k];
                var w1 = rows[2 * k + 1];
                var x0 = xs[2 * k];
                var x1 = xs[2 * k + 1];
                re0 = Vector256.FusedMultiplyAdd(w0, x0, re0);
                re1 = Vector256.FusedMultiplyAdd(w1, x1, re1);
                im0 = Vector256.FusedMultiplyAdd(w0, Vector256.Shuffle(x0, swap), im0);
                im1 = Vector256.FusedMultiplyAdd(w1, Vector256.Shuffle(x1, swap), im1);
            }
            // im lanes hold w_k x_(k xor 1); Jx's signs are -1 on even lanes, +1 on odd ones.
            var signs = Vector256.Create(-1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f);
            re = Vector256.Sum(re0 + re1);
            im = Vector256.Sum((im0 + im1) * signs);
            done = pairs * 2 * Vector256<float>.Count;
        }
        for (var j = done; j < row.Length; j += 2)
        {
            re += row[j] * x[j] + row[j + 1] * x[j + 1];
            im += row[j + 1] * x[j] - row[j] * x[j + 1];
        }
        return (re, im);
    }
}
