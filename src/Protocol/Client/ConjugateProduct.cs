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
/// client's side of B uses of one frame, blocked so that a few rows stay in cache while every
/// input streams past them.
/// </summary>
internal static class BatchConjugateProduct
{
    // Rows per block: 16 rows of a 784-wide layer (50 KB) stay in L2 while the batch streams past.
    private const int RowBlock = 16;

    // Below this many multiply-adds a Parallel.For costs more than it saves; one use of a
    // 784x784 frame stays on its thread, so callers that parallelise over uses are not nested.
    private const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// re[b m + i], im[b m + i] = products of row i with input b, for <paramref name="count"/>
    /// inputs of 2n' packed floats each. Every element is computed by one thread in a fixed
    /// order, so the results do not depend on scheduling.
    /// </summary>
    public static void Compute(Encoding.FrameLight light, float[] units, int count, float[] re, float[] im)
    {
        var blocks = (light.Rows + RowBlock - 1) / RowBlock;
        if ((long)count * light.Rows * light.Modes < ParallelThreshold)
            for (var block = 0; block < blocks; block++) Block(light, units, count, re, im, block);
        else
            Parallel.For(0, blocks, block => Block(light, units, count, re, im, block));
    }

    private static void Block(Encoding.FrameLight light, float[] units, int count, float[] re, float[] im, int block)
    {
        var width = 2 * light.Modes;
        var end = Math.Min(light.Rows, (block + 1) * RowBlock);
        for (var b = 0; b < count; b++)
        {
            var unit = units.AsSpan(b * width, width);
            if (width < 32)
            {
                NarrowRows(light.PackedWeights, width, block * RowBlock, end, unit, re.AsSpan(b * light.Rows), im.AsSpan(b * light.Rows));
                continue;
            }
            for (var i = block * RowBlock; i < end; i++)
                (re[b * light.Rows + i], im[b * light.Rows + i]) = ConjugateProduct.Compute(light.Row(i), unit);
        }
    }

    // Rows too short for registers (the transposed frame of a 10-class layer has 5 modes): one
    // tight loop over the block instead of a call per row, in the order ConjugateProduct's tail uses.
    private static void NarrowRows(float[] packed, int width, int first, int end, ReadOnlySpan<float> x, Span<float> re, Span<float> im)
    {
        for (var i = first; i < end; i++)
        {
            var row = packed.AsSpan(i * width, width);
            float r = 0, m = 0;
            for (var j = 0; j < width; j += 2)
            {
                r += row[j] * x[j] + row[j + 1] * x[j + 1];
                m += row[j + 1] * x[j] - row[j] * x[j + 1];
            }
            re[i] = r;
            im[i] = m;
        }
    }
}
