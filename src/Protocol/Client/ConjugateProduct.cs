using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QSI.Protocol.Numerics;

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
    public static (float Re, float Im) Compute(ReadOnlySpan<float> row, ReadOnlySpan<float> x) =>
        Vector512.IsHardwareAccelerated && row.Length >= 64 ? Compute512(row, x) : Compute256(row, x);

    /// <summary>The product with 16-lane registers: twice the work per instruction where the CPU has AVX-512.</summary>
    private static (float Re, float Im) Compute512(ReadOnlySpan<float> row, ReadOnlySpan<float> x)
    {
        var rows = MemoryMarshal.Cast<float, Vector512<float>>(row);
        var xs = MemoryMarshal.Cast<float, Vector512<float>>(x);
        var swap = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        Vector512<float> re0 = default, re1 = default, re2 = default, re3 = default;
        Vector512<float> im0 = default, im1 = default, im2 = default, im3 = default;
        var k = 0;
        for (; k + 4 <= rows.Length; k += 4)
        {
            re0 = Vector512.FusedMultiplyAdd(rows[k], xs[k], re0);
            re1 = Vector512.FusedMultiplyAdd(rows[k + 1], xs[k + 1], re1);
            re2 = Vector512.FusedMultiplyAdd(rows[k + 2], xs[k + 2], re2);
            re3 = Vector512.FusedMultiplyAdd(rows[k + 3], xs[k + 3], re3);
            im0 = Vector512.FusedMultiplyAdd(rows[k], Vector512.Shuffle(xs[k], swap), im0);
            im1 = Vector512.FusedMultiplyAdd(rows[k + 1], Vector512.Shuffle(xs[k + 1], swap), im1);
            im2 = Vector512.FusedMultiplyAdd(rows[k + 2], Vector512.Shuffle(xs[k + 2], swap), im2);
            im3 = Vector512.FusedMultiplyAdd(rows[k + 3], Vector512.Shuffle(xs[k + 3], swap), im3);
        }
        for (; k < rows.Length; k++)
        {
            re0 = Vector512.FusedMultiplyAdd(rows[k], xs[k], re0);
            im0 = Vector512.FusedMultiplyAdd(rows[k], Vector512.Shuffle(xs[k], swap), im0);
        }
        var signs = Vector512.Create(-1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f);
        var re = Vector512.Sum((re0 + re1) + (re2 + re3));
        var im = Vector512.Sum(((im0 + im1) + (im2 + im3)) * signs);
        for (var j = rows.Length * Vector512<float>.Count; j < row.Length; j += 2)
        {
            re += row[j] * x[j] + row[j + 1] * x[j + 1];
            im += row[j + 1] * x[j] - row[j] * x[j + 1];
        }
        return (re, im);
    }

    private static (float Re, float Im) Compute256(ReadOnlySpan<float> row, ReadOnlySpan<float> x)
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

/// <summary>
/// The conjugate products of every row of a frame with each of a batch of unit inputs: the
/// client's side of B uses of one frame, as one matrix product [X; JX] W^T by <see cref="Sgemm"/>,
/// whose first B rows are the real parts and last B rows the imaginary parts. A batch of fewer
/// than four inputs takes <see cref="ConjugateProduct"/>'s fused pass row by row instead, so its
/// results can differ from a larger batch's in the last bits (the sums are ordered differently).
/// </summary>
internal static class BatchConjugateProduct
{
    // Below this many multiply-adds the product stays on the calling thread; one use of a
    // 784x784 frame does, so callers that parallelise over uses are not nested.
    private const long ParallelThreshold = 1L << 21;

    // Fewer inputs than this fill less than one 8-row block of the product's micro-kernel.
    private const int FewInputs = 4;

    /// <summary>
    /// products[b m + i] = Re and products[(B + b) m + i] = Im of row i with input b, for the
    /// <paramref name="count"/> = B unit inputs of 2n' packed floats each at the start of
    /// <paramref name="units"/>; their J x go into its next B rows, so [X; JX] is one operand read
    /// in place. Every element is computed by one thread in a fixed order, so the results do not
    /// depend on scheduling.
    /// </summary>
    public static void Compute(Encoding.FrameLight light, float[] units, int count, float[] products)
    {
        int width = 2 * light.Modes, rows = light.Rows;
        if (count < FewInputs)
        {
            // Packing the frame for a product this short costs more than the product: one fused pass per row.
            for (var b = 0; b < count; b++)
            {
                var unit = units.AsSpan(b * width, width);
                for (var i = 0; i < rows; i++)
                    (products[b * rows + i], products[(count + b) * rows + i]) = ConjugateProduct.Compute(light.Row(i), unit);
            }
            return;
        }

        var x = units.AsSpan(0, count * width);
        Rotate(x, units.AsSpan(count * width, count * width));
        var threads = (long)count * rows * light.Modes < ParallelThreshold ? 1 : 0;
        Sgemm.Multiply(2 * count, rows, width, units.AsSpan(0, 2 * count * width), width, false,
            light.PackedWeights.AsSpan(0, rows * width), width, true, products.AsSpan(0, 2 * count * rows), rows, threads: threads);
    }

    /// <summary>J x = (-x1, x0, -x3, x2, ...): multiplication of each packed (re, im) pair by i.</summary>
    private static void Rotate(ReadOnlySpan<float> x, Span<float> target)
    {
        for (var j = 0; j < x.Length; j += 2)
        {
            target[j] = -x[j + 1];
            target[j + 1] = x[j];
        }
    }
}
