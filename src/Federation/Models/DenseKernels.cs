using System.Numerics.Tensors;

namespace QSI.Federation.Models;

/// <summary>
/// The three matrix products of dense-layer training, written over row-major arrays with
/// <see cref="TensorPrimitives"/> doing the SIMD work. MathNet's managed provider was about ten
/// times slower on our shapes (see docs/NUMERICS.md), so we keep these few loops ourselves.
/// Every output element is produced by exactly one thread in a fixed order, so results do not
/// depend on scheduling and training stays bit-reproducible.
/// </summary>
internal static class DenseKernels
{
    // Below this many multiply-adds a Parallel.For costs more than it saves.
    private const long ParallelThreshold = 1L << 18;

    // Output rows handled together: the block of weight rows (16 x n floats) stays in L1 while all
    // samples stream past it, and 16 floats = one cache line, so threads never share output lines.
    private const int RowBlock = 16;

    /// <summary>
    /// <c>output[b, i] = dot(input[b, :], W[i, :]) + bias[i]</c> for <paramref name="count"/> samples,
    /// optionally followed by ReLU.
    /// </summary>
    public static void Forward(DenseLayer layer, ReadOnlyMemory<float> input, int count, float[] output, bool relu)
    {
        int rows = layer.Rows;
        int blocks = (rows + RowBlock - 1) / RowBlock;
        if (Work(count, layer) < ParallelThreshold)
        {
            for (int block = 0; block < blocks; block++)
            {
                ForwardBlock(layer, input, count, output, block);
            }
        }
        else
        {
            Parallel.For(0, blocks, block => ForwardBlock(layer, input, count, output, block));
        }

        Span<float> produced = output.AsSpan(0, count * rows);
        if (relu)
        {
            TensorPrimitives.Max(produced, 0f, produced);
        }
    }

    /// <summary>
    /// <c>weightGradient = delta^T input</c> and <c>biasGradient[i] = sum_b delta[b, i]</c>, overwriting both.
    /// Each gradient row is built by axpys of input rows, skipping the zeros that ReLU leaves in delta.
    /// <paramref name="deltaTransposed"/> is scratch of at least rows x count floats.
    /// </summary>
    public static void WeightGradient(
        DenseLayer layer, float[] delta, ReadOnlyMemory<float> input, int count,
        float[] weightGradient, float[]? biasGradient, float[] deltaTransposed) =>
        WeightGradient(layer.Rows, layer.Columns, delta, input, count, weightGradient, biasGradient, deltaTransposed, fromDiagonal: false);

    /// <summary>
    /// The same product over any <paramref name="rows"/> x <paramref name="columns"/> shape:
    /// <c>product = delta^T input</c> for <paramref name="count"/> samples of <paramref name="rows"/>
    /// and <paramref name="columns"/> values, e.g. the blocks of a regression's normal equations.
    /// With <paramref name="fromDiagonal"/>, row i is produced from column i on only (the rest is left
    /// as it was): when input begins with delta, that is the upper triangle of the symmetric delta^T delta.
    /// </summary>
    public static void WeightGradient(
        int rows, int columns, float[] delta, ReadOnlyMemory<float> input, int count,
        float[] weightGradient, float[]? biasGradient, float[] deltaTransposed, bool fromDiagonal = false)
    {
        for (int b = 0; b < count; b++)
        {
            for (int i = 0; i < rows; i++)
            {
                deltaTransposed[i * count + b] = delta[b * rows + i];
            }
        }

        if ((long)count * rows * columns < ParallelThreshold)
        {
            for (int i = 0; i < rows; i++)
            {
                GradientRow(columns, deltaTransposed, input, count, weightGradient, biasGradient, i, fromDiagonal ? i : 0);
            }
        }
        else
        {
            Parallel.For(0, rows, i => GradientRow(columns, deltaTransposed, input, count, weightGradient, biasGradient, i, fromDiagonal ? i : 0));
        }
    }

    /// <summary>
    /// <c>inputDelta[b, :] = sum_i delta[b, i] W[i, :]</c>, then zeroed wherever the ReLU output
    /// <paramref name="activation"/> was not positive (its derivative there is 0); with no
    /// activation, the product W^T delta alone.
    /// </summary>
    public static void BackwardDelta(DenseLayer layer, float[] delta, float[]? activation, int count, float[] inputDelta)
    {
        if (Work(count, layer) < ParallelThreshold)
        {
            for (int b = 0; b < count; b++)
            {
                DeltaRow(layer, delta, activation, inputDelta, b);
            }
        }
        else
        {
            Parallel.For(0, count, b => DeltaRow(layer, delta, activation, inputDelta, b));
        }
    }

    private static long Work(int count, DenseLayer layer) => (long)count * layer.Rows * layer.Columns;

    private static void ForwardBlock(DenseLayer layer, ReadOnlyMemory<float> input, int count, float[] output, int block)
    {
        int n = layer.Columns, rows = layer.Rows;
        int first = block * RowBlock, end = Math.Min(rows, first + RowBlock);
        float[] weights = layer.Weights;
        float[]? bias = layer.Bias;
        ReadOnlySpan<float> samples = input.Span;
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<float> x = samples.Slice(b * n, n);
            int o = b * rows;
            for (int i = first; i < end; i++)
            {
                float z = TensorPrimitives.Dot(x, weights.AsSpan(i * n, n));
                output[o + i] = bias is null ? z : z + bias[i];
            }
        }
    }

    private static void GradientRow(
        int n, float[] deltaTransposed, ReadOnlyMemory<float> input, int count,
        float[] weightGradient, float[]? biasGradient, int i, int first)
    {
        ReadOnlySpan<float> samples = input.Span;
        Span<float> row = weightGradient.AsSpan(i * n + first, n - first);
        row.Clear();
        ReadOnlySpan<float> d = deltaTransposed.AsSpan(i * count, count);
        for (int b = 0; b < count; b++)
        {
            if (d[b] != 0f)
            {
                TensorPrimitives.MultiplyAdd(samples.Slice(b * n + first, n - first), d[b], row, row);
            }
        }

        if (biasGradient is not null)
        {
            biasGradient[i] = TensorPrimitives.Sum(d);
        }
    }

    private static void DeltaRow(DenseLayer layer, float[] delta, float[]? activation, float[] inputDelta, int b)
    {
        int n = layer.Columns, rows = layer.Rows;
        Span<float> target = inputDelta.AsSpan(b * n, n);
        target.Clear();
        ReadOnlySpan<float> d = delta.AsSpan(b * rows, rows);
        for (int i = 0; i < rows; i++)
        {
            if (d[i] != 0f)
            {
                TensorPrimitives.MultiplyAdd(layer.Row(i), d[i], target, target);
            }
        }

        if (activation is null)
        {
            return;
        }

        ReadOnlySpan<float> a = activation.AsSpan(b * n, n);
        for (int k = 0; k < n; k++)
        {
            if (a[k] <= 0f)
            {
                target[k] = 0f;
            }
        }
    }
}
