using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace QSI.Protocol.Numerics;

/// <summary>
/// C = A B^T for C of at most 12 columns (a 10-class output layer), both operands read in place as
/// rows: 3 rows of A against 5 rows of B at a time, 15 Vector512 accumulators along the depth, each
/// summed across its lanes at the end. Where a tile of C would be mostly padding, this keeps the
/// multiply units busy with 8 loads per 15 multiply-adds instead of one broadcast per multiply-add.
/// </summary>
/// <remarks>
/// The order of every sum depends only on the element's position and the shape: deterministic.
/// Rows and columns left over from the 3 x 5 blocks are plain dot products.
/// </remarks>
internal static unsafe class NarrowDots
{
    private const int RowBlock = 3, ColumnBlock = 5;

    /// <summary>Whether this path serves the product (AVX-512, a row-major A, a transposed B, narrow C).</summary>
    public static bool Serves(int n, int k, bool transposeA, bool transposeB) =>
        Vector512.IsHardwareAccelerated && !transposeA && transposeB && n <= 12 && k >= 16;

    /// <summary>Rows <paramref name="first"/> to <paramref name="end"/> of C.</summary>
    public static void Rows(float* a, int lda, float* b, int ldb, float* c, int ldc, int first, int end, int n, int k, bool accumulate)
    {
        var i = first;
        for (; i + RowBlock <= end; i += RowBlock)
        {
            var j = 0;
            for (; j + ColumnBlock <= n; j += ColumnBlock)
                Block(a + (long)i * lda, lda, b + (long)j * ldb, ldb, c + (long)i * ldc + j, ldc, k, accumulate);
            for (var r = i; r < i + RowBlock; r++)
                Single(a, lda, b, ldb, c, ldc, r, j, n, k, accumulate);
        }
        for (; i < end; i++)
            Single(a, lda, b, ldb, c, ldc, i, 0, n, k, accumulate);
    }

    private static void Single(float* a, int lda, float* b, int ldb, float* c, int ldc, int i, int first, int n, int k, bool accumulate)
    {
        var row = new ReadOnlySpan<float>(a + (long)i * lda, k);
        for (var j = first; j < n; j++)
        {
            var dot = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(b + (long)j * ldb, k));
            ref var target = ref c[(long)i * ldc + j];
            target = accumulate ? target + dot : dot;
        }
    }

    private static void Block(float* a, nint lda, float* b, nint ldb, float* c, nint ldc, int k, bool accumulate)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb, b4 = b + 4 * ldb;
        var p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var x0 = Vector512.Load(a0 + p);
            var x1 = Vector512.Load(a1 + p);
            var x2 = Vector512.Load(a2 + p);
            var w = Vector512.Load(b0 + p);
            s00 = Vector512.FusedMultiplyAdd(x0, w, s00);
            s10 = Vector512.FusedMultiplyAdd(x1, w, s10);
            s20 = Vector512.FusedMultiplyAdd(x2, w, s20);
            w = Vector512.Load(b1 + p);
            s01 = Vector512.FusedMultiplyAdd(x0, w, s01);
            s11 = Vector512.FusedMultiplyAdd(x1, w, s11);
            s21 = Vector512.FusedMultiplyAdd(x2, w, s21);
            w = Vector512.Load(b2 + p);
            s02 = Vector512.FusedMultiplyAdd(x0, w, s02);
            s12 = Vector512.FusedMultiplyAdd(x1, w, s12);
            s22 = Vector512.FusedMultiplyAdd(x2, w, s22);
            w = Vector512.Load(b3 + p);
            s03 = Vector512.FusedMultiplyAdd(x0, w, s03);
            s13 = Vector512.FusedMultiplyAdd(x1, w, s13);
            s23 = Vector512.FusedMultiplyAdd(x2, w, s23);
            w = Vector512.Load(b4 + p);
            s04 = Vector512.FusedMultiplyAdd(x0, w, s04);
            s14 = Vector512.FusedMultiplyAdd(x1, w, s14);
            s24 = Vector512.FusedMultiplyAdd(x2, w, s24);
        }

        Put(c, Vector512.Sum(s00), a0, b0, p, k, accumulate);
        Put(c + 1, Vector512.Sum(s01), a0, b1, p, k, accumulate);
        Put(c + 2, Vector512.Sum(s02), a0, b2, p, k, accumulate);
        Put(c + 3, Vector512.Sum(s03), a0, b3, p, k, accumulate);
        Put(c + 4, Vector512.Sum(s04), a0, b4, p, k, accumulate);
        Put(c + ldc, Vector512.Sum(s10), a1, b0, p, k, accumulate);
        Put(c + ldc + 1, Vector512.Sum(s11), a1, b1, p, k, accumulate);
        Put(c + ldc + 2, Vector512.Sum(s12), a1, b2, p, k, accumulate);
        Put(c + ldc + 3, Vector512.Sum(s13), a1, b3, p, k, accumulate);
        Put(c + ldc + 4, Vector512.Sum(s14), a1, b4, p, k, accumulate);
        Put(c + 2 * ldc, Vector512.Sum(s20), a2, b0, p, k, accumulate);
        Put(c + 2 * ldc + 1, Vector512.Sum(s21), a2, b1, p, k, accumulate);
        Put(c + 2 * ldc + 2, Vector512.Sum(s22), a2, b2, p, k, accumulate);
        Put(c + 2 * ldc + 3, Vector512.Sum(s23), a2, b3, p, k, accumulate);
        Put(c + 2 * ldc + 4, Vector512.Sum(s24), a2, b4, p, k, accumulate);
    }

    // The lane sum, then the depths past the last whole vector in order.
    private static void Put(float* target, float sum, float* x, float* w, int p, int k, bool accumulate)
    {
        for (; p < k; p++)
            sum = MathF.FusedMultiplyAdd(x[p], w[p], sum);
        *target = accumulate ? *target + sum : sum;
    }
}
