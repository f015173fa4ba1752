using System.Diagnostics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Numerics;

namespace QSI.Benchmarks.Gemm;

/// <summary>
/// Our <see cref="Sgemm"/> against OpenBLAS <c>cblas_sgemm</c> at the shapes of training and
/// inference, in one process, the two sides alternating round by round so that load from other
/// jobs on the machine hits both alike. Prints GFLOP/s (2mnk per product) best and median over the
/// rounds, and the ratio ours / OpenBLAS of each.
/// </summary>
internal static class GemmComparison
{
    private sealed record Shape(string Name, int M, int N, int K, bool TransposeA, bool TransposeB, bool Conjugate = false)
    {
        public int Lda => TransposeA ? M : K;

        public int Ldb => TransposeB ? K : N;

        public double Flops => 2.0 * M * N * K;
    }

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 7;
        var filter = args.Length > 1 ? args[1] : "";
        var blas = OpenBlas.TryLoad();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, kernel {Describe()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (blas is null)
            Console.WriteLine("OpenBLAS: not found (apt-get install libopenblas0-pthread); its columns are skipped.");
        else
        {
            blas.SetThreads(Environment.ProcessorCount);
            Console.WriteLine($"OpenBLAS: {blas.Path}, core {blas.Core}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}, {Environment.ProcessorCount} threads");
            if (blas.Core is "Prescott" or "Core2" or "Penryn" or "Nehalem" && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
                Console.WriteLine("OpenBLAS chose a pre-AVX kernel on a CPU with AVX: set OPENBLAS_CORETYPE (SkylakeX with AVX-512, Haswell with AVX2), see docs/NUMERICS.md.");
        }

        Console.WriteLine($"best and median of {rounds} rounds, GFLOP/s");
        Console.WriteLine("| product | m x n x k | ours best | ours median | OpenBLAS best | OpenBLAS median | ratio best | ratio median |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var shape in Shapes().Where(s => s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
            Compare(shape, blas, rounds);
        MathNetAtOneShape(rounds);
        return 0;
    }

    private static IEnumerable<Shape> Shapes()
    {
        foreach (var b in new[] { 1, 32, 64, 256, 5400 })
            yield return new Shape($"forward X W^T, B={b}", b, 784, 784, false, true);
        foreach (var b in new[] { 1, 32, 64, 256, 5400 })
            yield return new Shape($"conjugate [X; JX] W^T, B={b}", 2 * b, 784, 784, false, true);
        foreach (var b in new[] { 32, 64, 256, 5400 })
            yield return new Shape($"BatchConjugateProduct (J x, product, copies), B={b}", 2 * b, 784, 784, false, true, Conjugate: true);
        foreach (var b in new[] { 32, 64 })
            yield return new Shape($"weight gradient D^T X, B={b}", 784, 784, b, true, false);
        foreach (var b in new[] { 32, 64, 256 })
            yield return new Shape($"backward delta D W, B={b}", b, 784, 784, false, false);
        foreach (var b in new[] { 32, 64, 256 })
            yield return new Shape($"output layer X W2^T, B={b}", b, 10, 784, false, true);
        foreach (var b in new[] { 32, 64 })
            yield return new Shape($"output gradient D2^T X, B={b}", 10, 784, b, true, false);
        foreach (var b in new[] { 32, 64 })
            yield return new Shape($"output delta D2 W2, B={b}", b, 784, 10, false, false);
    }

    private static void Compare(Shape shape, OpenBlas? blas, int rounds)
    {
        var rng = new Random(shape.M * 31 + shape.N * 7 + shape.K);
        var a = Random(rng, shape.M * shape.K);
        var b = Random(rng, shape.K * shape.N);
        var ours = new float[shape.M * shape.N];
        var theirs = new float[shape.M * shape.N];
        Action oursOnce = () => Sgemm.Multiply(shape.M, shape.N, shape.K, a, shape.Lda, shape.TransposeA, b, shape.Ldb, shape.TransposeB, ours, shape.N);
        if (shape.Conjugate)
        {
            // The client's whole step: the B inputs (first half of a), J x formed beside them, one product
            // into Re then Im. OpenBLAS gets [X; JX] ready-made, so the comparison charges us for forming J x.
            var light = new FrameLight(new FrameId(1), b, shape.N, shape.K / 2, 1, 1, 1);
            var count = shape.M / 2;
            for (var j = 0; j < count * shape.K; j += 2)
            {
                a[count * shape.K + j] = -a[j + 1];
                a[count * shape.K + j + 1] = a[j];
            }
            oursOnce = () => BatchConjugateProduct.Compute(light, a, count, ours);
        }
        Action? theirsOnce = blas is null ? null
            : () => blas.Multiply(shape.M, shape.N, shape.K, a, shape.Lda, shape.TransposeA, b, shape.Ldb, shape.TransposeB, theirs, shape.N);
        var reps = Math.Max(1, (int)(5e7 / shape.Flops));
        var oursTimes = new List<double>();
        var theirTimes = new List<double>();
        WarmUp(oursOnce);
        if (theirsOnce is not null)
            WarmUp(theirsOnce);
        for (var round = 0; round < rounds; round++)
        {
            oursTimes.Add(Time(oursOnce, reps));
            if (theirsOnce is not null)
                theirTimes.Add(Time(theirsOnce, reps));
        }

        var oursBest = shape.Flops / oursTimes.Min() / 1e9;
        var oursMedian = shape.Flops / Median(oursTimes) / 1e9;
        var dims = $"{shape.M} x {shape.N} x {shape.K}";
        if (theirsOnce is null)
        {
            Console.WriteLine($"| {shape.Name} | {dims} | {oursBest:F1} | {oursMedian:F1} | - | - | - | - |");
            return;
        }
        var theirsBest = shape.Flops / theirTimes.Min() / 1e9;
        var theirsMedian = shape.Flops / Median(theirTimes) / 1e9;
        var gap = MaxRelativeGap(ours, theirs);
        Console.WriteLine($"| {shape.Name} | {dims} | {oursBest:F1} | {oursMedian:F1} | {theirsBest:F1} | {theirsMedian:F1} | {oursBest / theirsBest:F2} | {oursMedian / theirsMedian:F2} |"
            + (gap > 1e-4 ? $" results differ by {gap:E1}" : ""));
    }

    // MathNet's managed provider (column-major matrices) on the batch-64 forward product, for continuity with earlier measurements.
    private static void MathNetAtOneShape(int rounds)
    {
        Control.UseManaged();
        var rng = new Random(5);
        var x = Matrix<float>.Build.Dense(64, 784, (_, _) => (float)rng.NextDouble());
        var w = Matrix<float>.Build.Dense(784, 784, (_, _) => (float)rng.NextDouble());
        var z = Matrix<float>.Build.Dense(64, 784);
        var a = x.ToRowMajorArray();
        var b = w.ToRowMajorArray();
        var c = new float[64 * 784];
        Action mathNet = () => x.TransposeAndMultiply(w, z);
        Action ours = () => Sgemm.MultiplyTransposed(64, 784, 784, a, b, c);
        const int reps = 3;
        WarmUp(mathNet);
        WarmUp(ours);
        var mathNetTimes = new List<double>();
        var oursTimes = new List<double>();
        for (var round = 0; round < Math.Min(rounds, 3); round++)
        {
            mathNetTimes.Add(Time(mathNet, reps));
            oursTimes.Add(Time(ours, reps));
        }
        var flops = 2.0 * 64 * 784 * 784;
        Console.WriteLine($"MathNet managed provider, X W^T at 64 x 784 x 784: {flops / mathNetTimes.Min() / 1e9:F1} GFLOP/s best; ours {flops / oursTimes.Min() / 1e9:F1}");
    }

    // Long enough for the JIT's tiers to settle on the optimised code (and OpenBLAS to start its threads).
    private static void WarmUp(Action once)
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 400)
            once();
    }

    private static double Time(Action once, int reps)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++)
            once();
        return watch.Elapsed.TotalSeconds / reps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double MaxRelativeGap(float[] ours, float[] theirs)
    {
        double scale = 0, gap = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(theirs[i]));
            gap = Math.Max(gap, Math.Abs(ours[i] - theirs[i]));
        }
        return scale == 0 ? gap : gap / scale;
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    private static string Describe() =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "Vector512" :
        System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "Vector256" : "scalar";
}
