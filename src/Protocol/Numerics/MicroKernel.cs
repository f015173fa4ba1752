using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QSI.Protocol.Numerics;

/// <summary>
/// The innermost step of <see cref="Sgemm"/>: an MR x NR tile of C from MR rows of A (read in
/// place, broadcast one element at a time) and one packed sliver of B (NR floats per depth), as a
/// chain of fused multiply-adds in increasing depth per element, then written into or added to C.
/// </summary>
// Tiles on the stack are written before they are read: no need to zero them.
[SkipLocalsInit]
internal abstract unsafe class MicroKernel
{
    /// <summary>
    /// Longest run of depths summed in registers before the tile goes to C: a sliver of 32 columns
    /// then takes at most 32 KB, which stays in a 48 KB L1 with the rows of A beside it. Fixed for all
    /// kernels, so they all give the same bits.
    /// </summary>
    public const int DepthChunk = 256;

    /// <summary>The fastest kernel this CPU runs.</summary>
    public static readonly MicroKernel Best =
        Vector512.IsHardwareAccelerated ? new Wide() :
        Vector256.IsHardwareAccelerated ? new Narrow() :
        new Scalar();

    /// <summary>Every kernel this CPU runs with hardware vectors, and the scalar one.</summary>
    public static IReadOnlyList<MicroKernel> Supported { get; } =
    [
        .. Vector512.IsHardwareAccelerated ? [new Wide(), new WideShort()] : Array.Empty<MicroKernel>(),
        .. Vector256.IsHardwareAccelerated ? [new Narrow()] : Array.Empty<MicroKernel>(),
        new Scalar(),
    ];

    /// <summary>The kernel for products with at most 16 columns (a 10-class layer), where a wide tile would be mostly padding.</summary>
    public virtual MicroKernel Narrower => this;

    /// <summary>Rows of C per tile (MR).</summary>
    public abstract int Rows { get; }

    /// <summary>Columns of C per tile (NR), the width of a packed sliver of B.</summary>
    public abstract int Columns { get; }

    /// <summary>
    /// C[r, j] (+)= sum_p a[r rowStride + p depthStride] sliver[p sliverStride + j] for r below
    /// <paramref name="rows"/> and j below <paramref name="columns"/>. Rows of A up to MR must be
    /// readable even when fewer are wanted (the driver pads the last block).
    /// </summary>
    public abstract void Run(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
        float* c, nint ldc, int rows, int columns, bool add);

    /// <summary>Writes a tile held in <paramref name="tile"/> (MR x NR, row-major) into the valid corner of C.</summary>
    protected void Store(float* tile, float* c, nint ldc, int rows, int columns, bool add)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = c + r * ldc;
            var source = tile + r * Columns;
            for (var j = 0; j < columns; j++)
                row[j] = add ? row[j] + source[j] : source[j];
        }
    }

    /// <summary>8 x 32 with 16 Vector512 accumulators (AVX-512 has 32 registers).</summary>
    private sealed class Wide : MicroKernel
    {
        private readonly MicroKernel _short = new WideShort();

        public override MicroKernel Narrower => _short;

        public override int Rows => 8;

        public override int Columns => 32;

        public override void Run(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
            float* c, nint ldc, int rows, int columns, bool add)
        {
            if (rows <= 4)
            {
                RunHalf(a, rowStride, depthStride, sliver, sliverStride, depth, c, ldc, rows, columns, add);
                return;
            }

            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
            Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
            float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
            float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
            nint o = 0;
            for (var p = 0; p < depth; p++, o += depthStride, sliver += sliverStride)
            {
                var b0 = Vector512.Load(sliver);
                var b1 = Vector512.Load(sliver + 16);
                var x = Vector512.Create(a0[o]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a1[o]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a2[o]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a3[o]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a4[o]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a5[o]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(a6[o]);
                c60 = Vector512.FusedMultiplyAdd(x, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(a7[o]);
                c70 = Vector512.FusedMultiplyAdd(x, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            }

            if (rows == 8 && columns == 32)
            {
                Put(c, c00, c01, add);
                Put(c + ldc, c10, c11, add);
                Put(c + 2 * ldc, c20, c21, add);
                Put(c + 3 * ldc, c30, c31, add);
                Put(c + 4 * ldc, c40, c41, add);
                Put(c + 5 * ldc, c50, c51, add);
                Put(c + 6 * ldc, c60, c61, add);
                Put(c + 7 * ldc, c70, c71, add);
                return;
            }

            var tile = stackalloc float[8 * 32];
            c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80); c30.Store(tile + 96); c31.Store(tile + 112);
            c40.Store(tile + 128); c41.Store(tile + 144); c50.Store(tile + 160); c51.Store(tile + 176);
            c60.Store(tile + 192); c61.Store(tile + 208); c70.Store(tile + 224); c71.Store(tile + 240);
            StoreRows(tile, c, ldc, rows, columns, add);
        }

        // The last block of a matrix with 1-4 rows left: half the work of a full block.
        private void RunHalf(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
            float* c, nint ldc, int rows, int columns, bool add)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
            float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
            nint o = 0;
            for (var p = 0; p < depth; p++, o += depthStride, sliver += sliverStride)
            {
                var b0 = Vector512.Load(sliver);
                var b1 = Vector512.Load(sliver + 16);
                var x = Vector512.Create(a0[o]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a1[o]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a2[o]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a3[o]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            }

            var tile = stackalloc float[8 * 32];
            c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80); c30.Store(tile + 96); c31.Store(tile + 112);
            StoreRows(tile, c, ldc, rows, columns, add);
        }

        // A partial tile: whole vectors where the columns allow (the last sliver of 784 columns has 16), then single floats.
        private static void StoreRows(float* tile, float* c, nint ldc, int rows, int columns, bool add)
        {
            for (var r = 0; r < rows; r++)
            {
                var source = tile + r * 32;
                var row = c + r * ldc;
                var j = 0;
                for (; j + 16 <= columns; j += 16)
                {
                    var v = Vector512.Load(source + j);
                    if (add)
                        v += Vector512.Load(row + j);
                    v.Store(row + j);
                }
                for (; j < columns; j++)
                    row[j] = add ? row[j] + source[j] : source[j];
            }
        }

        private static void Put(float* row, Vector512<float> left, Vector512<float> right, bool add)
        {
            if (add)
            {
                left += Vector512.Load(row);
                right += Vector512.Load(row + 16);
            }
            left.Store(row);
            right.Store(row + 16);
        }
    }

    /// <summary>8 x 16 with 8 Vector512 accumulators, for C of at most 16 columns.</summary>
    private sealed class WideShort : MicroKernel
    {
        public override int Rows => 8;

        public override int Columns => 16;

        public override void Run(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
            float* c, nint ldc, int rows, int columns, bool add)
        {
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
            Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
            float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
            float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
            nint o = 0;
            for (var p = 0; p < depth; p++, o += depthStride, sliver += sliverStride)
            {
                var b = Vector512.Load(sliver);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[o]), b, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[o]), b, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[o]), b, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[o]), b, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[o]), b, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[o]), b, c5);
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[o]), b, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a7[o]), b, c7);
            }

            var tile = stackalloc float[8 * 16];
            c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32); c3.Store(tile + 48);
            c4.Store(tile + 64); c5.Store(tile + 80); c6.Store(tile + 96); c7.Store(tile + 112);
            Store(tile, c, ldc, rows, columns, add);
        }
    }

    /// <summary>6 x 16 with 12 Vector256 accumulators (AVX2 has 16 registers), the BLIS Haswell shape.</summary>
    private sealed class Narrow : MicroKernel
    {
        public override int Rows => 6;

        public override int Columns => 16;

        public override void Run(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
            float* c, nint ldc, int rows, int columns, bool add)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride;
            float* a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride;
            nint o = 0;
            for (var p = 0; p < depth; p++, o += depthStride, sliver += sliverStride)
            {
                var b0 = Vector256.Load(sliver);
                var b1 = Vector256.Load(sliver + 8);
                var x = Vector256.Create(a0[o]);
                c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(a1[o]);
                c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(a2[o]);
                c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(a3[o]);
                c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
                x = Vector256.Create(a4[o]);
                c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
                x = Vector256.Create(a5[o]);
                c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            }

            var tile = stackalloc float[6 * 16];
            c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
            c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
            Store(tile, c, ldc, rows, columns, add);
        }
    }

    /// <summary>4 x 4 with scalar fused multiply-adds, for CPUs without 256-bit vectors; same bits as the others.</summary>
    private sealed class Scalar : MicroKernel
    {
        public override int Rows => 4;

        public override int Columns => 4;

        public override void Run(float* a, nint rowStride, nint depthStride, float* sliver, nint sliverStride, int depth,
            float* c, nint ldc, int rows, int columns, bool add)
        {
            var tile = stackalloc float[16];
            for (var r = 0; r < 4; r++)
            {
                var row = a + r * rowStride;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                nint o = 0;
                for (var p = 0; p < depth; p++, o += depthStride)
                {
                    var x = row[o];
                    var b = sliver + p * sliverStride;
                    s0 = MathF.FusedMultiplyAdd(x, b[0], s0);
                    s1 = MathF.FusedMultiplyAdd(x, b[1], s1);
                    s2 = MathF.FusedMultiplyAdd(x, b[2], s2);
                    s3 = MathF.FusedMultiplyAdd(x, b[3], s3);
                }
                tile[4 * r] = s0;
                tile[4 * r + 1] = s1;
                tile[4 * r + 2] = s2;
                tile[4 * r + 3] = s3;
            }
            Store(tile, c, ldc, rows, columns, add);
        }
    }
}
