using FsCheck;
using FsCheck.Xunit;
using QSI.Protocol.Numerics;

namespace QSI.Protocol.Tests.Numerics;

/// <summary>
/// <see cref="Sgemm"/> against a double-precision reference. Tolerance: a chain of k fused
/// multiply-adds in single precision, plus one rounding for each depth chunk added into C, errs
/// by at most about (k + chunks) u sum_p |a_ip b_pj| with u = 2^-24; we allow (k + 8) u times that
/// sum (plus |c| when accumulating), which no correct summation order exceeds.
/// </summary>
[Properties(Replay = "4242,2027", MaxTest = 200)]
public class SgemmTests
{
    private const double Unit = 1.0 / (1 << 24);

    [Property]
    public bool Any_shape_and_layout_matches_the_double_reference(
        int seed, PositiveInt mSeed, PositiveInt nSeed, PositiveInt kSeed, bool transposeA, bool transposeB, bool accumulate)
    {
        var m = 1 + mSeed.Get % 70;
        var n = 1 + nSeed.Get % 70;
        var k = 1 + kSeed.Get % 300;
        return Agrees(new Random(seed), m, n, k, transposeA, transposeB, accumulate, threads: 0);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 784, 784)]
    [InlineData(2, 784, 784)]
    [InlineData(3, 17, 5)]
    [InlineData(9, 33, 5)]
    [InlineData(17, 15, 257)]
    [InlineData(31, 47, 513)]
    [InlineData(64, 10, 784)]
    [InlineData(32, 10, 17)]
    [InlineData(7, 12, 33)]
    [InlineData(10, 784, 64)]
    [InlineData(64, 784, 10)]
    [InlineData(130, 97, 300)]
    public void Edge_shapes_in_every_layout_match_the_double_reference(int m, int n, int k)
    {
        var rng = new Random(m * 1000 + n + k);
        foreach (var transposeA in new[] { false, true })
            foreach (var transposeB in new[] { false, true })
                foreach (var accumulate in new[] { false, true })
                    foreach (var threads in new[] { 1, 2 })
                        Assert.True(Agrees(rng, m, n, k, transposeA, transposeB, accumulate, threads),
                            $"{m}x{n}x{k} transposeA={transposeA} transposeB={transposeB} accumulate={accumulate} threads={threads}");
    }

    [Fact]
    public void Padded_strides_and_offsets_are_respected()
    {
        var rng = new Random(7);
        const int m = 13, n = 21, k = 19, lda = 25, ldb = 30, ldc = 40;
        var a = Values(rng, m * lda);
        var b = Values(rng, k * ldb);
        var c = Values(rng, m * ldc);
        var untouched = c.ToArray();
        Sgemm.Multiply(m, n, k, a, lda, false, b, ldb, false, c, ldc);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(untouched[i * ldc + j], c[i * ldc + j]);
                    continue;
                }
                double sum = 0, size = 0;
                for (var p = 0; p < k; p++)
                {
                    sum += (double)a[i * lda + p] * b[p * ldb + j];
                    size += Math.Abs((double)a[i * lda + p] * b[p * ldb + j]);
                }
                Assert.True(Math.Abs(c[i * ldc + j] - sum) <= (k + 8) * Unit * size + 1e-30);
            }
    }

    [Theory]
    [InlineData(200, 150, 600, false, true)]
    [InlineData(256, 10, 784, false, true)]
    [InlineData(784, 784, 64, true, false)]
    [InlineData(64, 784, 784, false, false)]
    public void Results_do_not_depend_on_threads_or_repetition(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var rng = new Random(11);
        var a = Values(rng, m * k);
        var b = Values(rng, k * n);
        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        var serial = new float[m * n];
        Sgemm.Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, serial, n, threads: 1);
        for (var run = 0; run < 3; run++)
        {
            var parallel = new float[m * n];
            Sgemm.Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, parallel, n, threads: 2);
            Assert.Equal(serial, parallel);
        }
    }

    [Theory]
    [InlineData(37, 70, 300, false, true)]
    [InlineData(8, 32, 256, true, false)]
    [InlineData(21, 19, 5, false, false)]
    public void Every_micro_kernel_gives_the_same_bits(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var rng = new Random(13);
        var a = Values(rng, m * k);
        var b = Values(rng, k * n);
        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        var results = MicroKernel.Supported.Select(kernel =>
        {
            var c = new float[m * n];
            Sgemm.Multiply(kernel, m, n, k, a, lda, transposeA, b, ldb, transposeB, c, n, accumulate: false, threads: 1);
            return c;
        }).ToArray();
        foreach (var result in results)
            Assert.Equal(results[^1], result);
    }

    [Fact]
    public void Empty_depth_clears_or_keeps_the_target()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        Sgemm.Multiply(2, 2, 0, [], [], c, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f], c);
        Sgemm.Multiply(2, 2, 0, [], [], c);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void Operands_too_short_for_their_shape_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Sgemm.Multiply(3, 3, 3, new float[8], new float[9], new float[9]));
        Assert.Contains("fewer than", ex.Message);
    }

    private static bool Agrees(Random rng, int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int threads)
    {
        var a = Values(rng, m * k);
        var b = Values(rng, k * n);
        var c = Values(rng, m * n);
        var before = c.ToArray();
        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        Sgemm.Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, n, accumulate, threads);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? before[i * n + j] : 0, size = accumulate ? Math.Abs(before[i * n + j]) : 0;
                for (var p = 0; p < k; p++)
                {
                    var x = transposeA ? a[p * lda + i] : a[i * lda + p];
                    var y = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)x * y;
                    size += Math.Abs((double)x * y);
                }
                if (Math.Abs(c[i * n + j] - sum) > (k + 8) * Unit * size + 1e-30)
                    return false;
            }
        return true;
    }

    private static float[] Values(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
