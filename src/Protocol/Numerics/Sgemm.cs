using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics.Tensors;

namespace QSI.Protocol.Numerics;

/// <summary>
/// Single-precision matrix products C = op(A) op(B) over row-major arrays, in managed code at
/// the speed of a native BLAS on our shapes (docs/NUMERICS.md). The design follows BLIS: B is
/// packed once per call into slivers of <c>NR</c> columns laid out k by k, each sliver's chunk of
/// <c>KC</c> depths stays in L1 while an <c>MR</c>-row block of A streams past it, and a
/// register-blocked micro-kernel (Vector512 where accelerated, Vector256 otherwise, scalar last)
/// keeps an MR x NR tile of C in registers.
/// </summary>
/// <remarks>
/// Every element of C is computed by one thread as a chain of fused multiply-adds in increasing k
/// within each depth chunk, the chunks added into C in order; the chunking depends only on k. Results
/// therefore depend on the shape alone, not on the thread count or scheduling, and all three
/// micro-kernels give the same bits.
/// </remarks>
// Tiles on the stack are written before they are read: no need to zero them.
[SkipLocalsInit]
public static unsafe class Sgemm
{
    // Below this many multiply-adds a product runs on the calling thread.
    private const long ParallelThreshold = 1L << 20;

    // Fewer rows than this with a transposed B: dot products of contiguous rows beat packing B.
    private const int DotRows = 4;


    /// <summary>C = A B^T: <c>c[i, j] (+)= sum_p a[i, p] b[j, p]</c>, A m x k, B n x k (e.g. inputs times weight rows).</summary>
    public static void MultiplyTransposed(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        bool accumulate = false, int threads = 0) =>
        Multiply(m, n, k, a, k, false, b, k, true, c, n, accumulate, threads);

    /// <summary>C = A^T B: <c>c[i, j] (+)= sum_p a[p, i] b[p, j]</c>, A k x m, B k x n (e.g. a weight gradient).</summary>
    public static void TransposedMultiply(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        bool accumulate = false, int threads = 0) =>
        Multiply(m, n, k, a, m, true, b, n, false, c, n, accumulate, threads);

    /// <summary>C = A B: <c>c[i, j] (+)= sum_p a[i, p] b[p, j]</c>, A m x k, B k x n (e.g. a delta propagated back).</summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        bool accumulate = false, int threads = 0) =>
        Multiply(m, n, k, a, k, false, b, n, false, c, n, accumulate, threads);

    /// <summary>
    /// The general product: <c>C[i, j] = sum_p A(i, p) B(p, j)</c>, written into or added to
    /// <c>c[i ldc + j]</c>, where A(i, p) is <c>a[i lda + p]</c>, or <c>a[p lda + i]</c> when
    /// <paramref name="transposeA"/>, and B(p, j) is <c>b[p ldb + j]</c>, or <c>b[j ldb + p]</c> when
    /// <paramref name="transposeB"/>. With <paramref name="accumulate"/> the product is added to C
    /// instead of overwriting it; <paramref name="threads"/> caps the threads used, 0 choosing by the
    /// amount of work (serial for small products). The result does not depend on the thread count.
    /// </summary>
    public static void Multiply(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc, bool accumulate = false, int threads = 0) =>
        Multiply(MicroKernel.Best, m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate, threads);

    /// <summary>The general product with a chosen micro-kernel (all give the same bits; tests compare them).</summary>
    internal static void Multiply(MicroKernel kernel, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc, bool accumulate, int threads)
    {
        Check(m, n, k, a.Length, lda, transposeA ? k : m, transposeA ? m : k, "a");
        Check(m, n, k, b.Length, ldb, transposeB ? n : k, transposeB ? k : n, "b");
        Check(m, n, k, c.Length, ldc, m, n, "c");
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                for (var i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }

        var work = (long)m * n * k;
        var used = threads > 0 ? threads : work < ParallelThreshold ? 1 : Environment.ProcessorCount;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var product = new Product(pa, lda, transposeA, pb, ldb, transposeB, pc, ldc, m, n, k, accumulate);
            if (NarrowDots.Serves(n, k, transposeA, transposeB))
                product.RunNarrowDots(used);
            else if (m < DotRows && transposeB && !transposeA)
                product.RunDots(used);
            else
                product.Run(n <= kernel.Narrower.Columns ? kernel.Narrower : kernel, used);
        }
    }

    private static void Check(int m, int n, int k, int length, int stride, int rows, int columns, string name)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), "Matrix dimensions must not be negative.");
        if (rows == 0 || columns == 0)
            return;
        if (stride < columns)
            throw new ArgumentException($"The stride of {name} ({stride}) is below its row length ({columns}).", name);
        if ((long)(rows - 1) * stride + columns > length)
            throw new ArgumentException($"{name} holds {length} floats, fewer than its {rows} x {columns} elements at stride {stride} need.", name);
    }

    /// <summary>One call's operands as pinned pointers, shared read-only by the threads of the call.</summary>
    private sealed class Product(float* a, int lda, bool transposeA, float* b, int ldb, bool transposeB,
        float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        private readonly nint _a = (nint)a, _b = (nint)b, _c = (nint)c;

        public void RunDots(int threads)
        {
            // Blocks of 64 columns, or of 64 rows when there are fewer columns than rows (a 10-unit layer).
            const int perBlock = 64;
            var byRows = n < m;
            var blocks = ((byRows ? m : n) + perBlock - 1) / perBlock;
            if (threads == 1 || blocks == 1)
                for (var block = 0; block < blocks; block++) DotBlock(block, perBlock, byRows);
            else
                Parallel.For(0, blocks, Options(threads), block => DotBlock(block, perBlock, byRows));
        }

        public void RunNarrowDots(int threads)
        {
            // Blocks of 48 rows: whole 3-row blocks, so the split between threads changes no sum.
            const int perBlock = 48;
            var blocks = (m + perBlock - 1) / perBlock;
            if (threads == 1 || blocks == 1)
                NarrowDots.Rows((float*)_a, lda, (float*)_b, ldb, (float*)_c, ldc, 0, m, n, k, accumulate);
            else
                Parallel.For(0, blocks, Options(threads), block =>
                    NarrowDots.Rows((float*)_a, lda, (float*)_b, ldb, (float*)_c, ldc, block * perBlock, Math.Min(m, (block + 1) * perBlock), n, k, accumulate));
        }

        private void DotBlock(int block, int perBlock, bool byRows)
        {
            var first = block * perBlock;
            if (byRows)
                Dots(first, Math.Min(m, first + perBlock), 0, n);
            else
                Dots(0, m, first, Math.Min(n, first + perBlock));
        }

        private void Dots(int firstRow, int endRow, int first, int end)
        {
            float* pa = (float*)_a, pb = (float*)_b, pc = (float*)_c;
            for (var j = first; j < end; j++)
            {
                var column = new ReadOnlySpan<float>(pb + (long)j * ldb, k);
                for (var i = firstRow; i < endRow; i++)
                {
                    var dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(pa + (long)i * lda, k), column);
                    ref var target = ref pc[(long)i * ldc + j];
                    target = accumulate ? target + dot : dot;
                }
            }
        }

        public void Run(MicroKernel kernel, int threads)
        {
            int mr = kernel.Rows, nr = kernel.Columns;
            var chunks = (k + MicroKernel.DepthChunk - 1) / MicroKernel.DepthChunk;
            var depth = (k + chunks - 1) / chunks;
            var slivers = (n + nr - 1) / nr;
            var rowBlocks = (m + mr - 1) / mr;
            var fullBlocks = m / mr;

            // The last rows, fewer than MR, are copied zero-padded (k-major, MR per depth) so the kernel reads whole blocks.
            var tail = m > fullBlocks * mr ? ArrayPool<float>.Shared.Rent(k * mr) : null;
            try
            {
                fixed (float* pt = tail)
                {
                    var tailA = (nint)pt;
                    if (tail is not null)
                        PackTail(pt, fullBlocks * mr, mr);

                    // Tiles of output; their shape only balances work and does not change any sum.
                    var tileBlocks = Math.Min(rowBlocks, Math.Max(1, 512 / mr));
                    var rowTiles = (rowBlocks + tileBlocks - 1) / tileBlocks;
                    var tileSlivers = slivers;
                    if (threads > 1)
                    {
                        var wanted = 4 * threads;
                        var columnTiles = Math.Min(slivers, (wanted + rowTiles - 1) / rowTiles);
                        tileSlivers = (slivers + columnTiles - 1) / columnTiles;
                    }
                    var columnTileCount = (slivers + tileSlivers - 1) / tileSlivers;
                    var tiles = rowTiles * columnTileCount;
                    var layout = new Layout(mr, nr, depth, tileBlocks, tileSlivers, rowBlocks, slivers, fullBlocks);
                    if (threads == 1 || tiles == 1)
                        for (var t = 0; t < tiles; t++) Tile(kernel, layout, tailA, t / columnTileCount, t % columnTileCount);
                    else
                        Parallel.For(0, tiles, Options(threads), t => Tile(kernel, layout, tailA, t / columnTileCount, t % columnTileCount));
                }
            }
            finally
            {
                if (tail is not null)
                    ArrayPool<float>.Shared.Return(tail);
            }
        }

        // Depths p0 .. p0 + depth of one sliver of B, NR floats per depth, zero beyond the last column.
        private void PackSliver(float* target, int first, int width, int p0, int depth, int nr)
        {
            if (transposeB)
                Packing.Transposed((float*)_b + (long)first * ldb + p0, ldb, depth, width, nr, target);
            else
                Packing.Rows((float*)_b + (long)p0 * ldb + first, ldb, depth, width, nr, target);
        }

        private void PackTail(float* target, int firstRow, int mr)
        {
            var rows = m - firstRow;
            new Span<float>(target, k * mr).Clear();
            var pa = (float*)_a;
            for (var p = 0; p < k; p++)
                for (var r = 0; r < rows; r++)
                    target[p * mr + r] = transposeA ? pa[(long)p * lda + firstRow + r] : pa[(long)(firstRow + r) * lda + p];
        }

        private void Tile(MicroKernel kernel, Layout layout, nint tailA, int rowTile, int columnTile)
        {
            var firstBlock = rowTile * layout.TileBlocks;
            var endBlock = Math.Min(layout.RowBlocks, firstBlock + layout.TileBlocks);
            var firstSliver = columnTile * layout.TileSlivers;
            var endSliver = Math.Min(layout.Slivers, firstSliver + layout.TileSlivers);
            // A row-major B is read in place (each depth of a sliver is NR contiguous floats already);
            // a transposed one, and a last sliver narrower than NR, are packed chunk by chunk just before
            // use, so the packed chunk is still in L1 for every row block of the tile.
            var packed = ArrayPool<float>.Shared.Rent(layout.Depth * layout.Columns);
            try
            {
                fixed (float* buffer = packed)
                    Chunks(kernel, layout, tailA, firstBlock, endBlock, firstSliver, endSliver, buffer);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(packed);
            }
        }

        private void Chunks(MicroKernel kernel, Layout layout, nint tailA, int firstBlock, int endBlock, int firstSliver, int endSliver, float* buffer)
        {
            int mr = layout.Rows, nr = layout.Columns;
            float* pa = (float*)_a, pc = (float*)_c;
            nint rowStride = transposeA ? 1 : lda, depthStride = transposeA ? lda : 1;
            for (var p0 = 0; p0 < k; p0 += layout.Depth)
            {
                var depth = Math.Min(layout.Depth, k - p0);
                var add = accumulate || p0 > 0;
                for (var s = firstSliver; s < endSliver; s++)
                {
                    var j0 = s * nr;
                    var columns = Math.Min(nr, n - j0);
                    var inPlace = !transposeB && columns == nr;
                    if (!inPlace)
                        PackSliver(buffer, j0, columns, p0, depth, nr);
                    var sliver = inPlace ? (float*)_b + (long)p0 * ldb + j0 : buffer;
                    nint sliverStride = inPlace ? ldb : nr;
                    for (var blk = firstBlock; blk < endBlock; blk++)
                    {
                        var i0 = blk * mr;
                        var full = blk < layout.FullBlocks;
                        var rows = full ? mr : m - i0;
                        var block = full ? pa + i0 * rowStride + p0 * depthStride : (float*)tailA + p0 * mr;
                        nint blockRowStride = full ? rowStride : 1, blockDepthStride = full ? depthStride : mr;
                        kernel.Run(block, blockRowStride, blockDepthStride, sliver, sliverStride, depth, pc + (long)i0 * ldc + j0, ldc, rows, columns, add);
                    }
                }
            }
        }
    }

    private readonly record struct Layout(int Rows, int Columns, int Depth, int TileBlocks, int TileSlivers, int RowBlocks, int Slivers, int FullBlocks);

    private static ParallelOptions Options(int threads) => new() { MaxDegreeOfParallelism = threads };
}
