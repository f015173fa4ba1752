using System.Buffers;
using System.Numerics.Tensors;
using QSI.Protocol.Numerics;

namespace QSI.Federation.Models;

/// <summary>
/// The three matrix products of dense-layer training over row-major arrays, each one call of
/// <see cref="Sgemm"/> (docs/NUMERICS.md), with the bias and ReLU steps around them. Every output
/// element is produced by one thread in a fixed order that depends only on the shapes, so results
/// do not depend on scheduling and training stays bit-reproducible.
/// </summary>
internal static class DenseKernels
{
    // Rows of the upper triangle handled per product when only j >= i is wanted.
    private const int TriangleBlock = 64;

    /// <summary>
    /// <c>output[b, i] = dot(input[b, :], W[i, :]) + bias[i]</c> for <paramref name="count"/> samples,
    /// optionally followed by ReLU.
    /// </summary>
    public static void Forward(DenseLayer layer, ReadOnlyMemory<float> input, int count, float[] output, bool relu)
    {
        int rows = layer.Rows, n = layer.Columns;
        Sgemm.MultiplyTransposed(count, rows, n, input.Span[..(count * n)], layer.Weights, output.AsSpan(0, count * rows));
        if (layer.Bias is { } bias)
        {
            for (int b = 0; b < count; b++)
            {
                Span<float> row = output.AsSpan(b * rows, rows);
                TensorPrimitives.Add(row, bias, row);
            }
        }

        if (relu)
        {
            Span<float> produced = output.AsSpan(0, count * rows);
            TensorPrimitives.Max(produced, 0f, produced);
        }
    }

    /// <summary>
    /// <c>weightGradient = delta^T input</c> and <c>biasGradient[i] = sum_b delta[b, i]</c>, overwriting both.
    /// <paramref name="deltaTransposed"/> is no longer used (the product reads delta in place) and is kept for callers.
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
        ReadOnlySpan<float> samples = input.Span[..(count * columns)];
        ReadOnlySpan<float> d = delta.AsSpan(0, count * rows);
        if (fromDiagonal)
        {
            UpperRows(rows, columns, d, samples, count, weightGradient);
        }
        else
        {
            Sgemm.TransposedMultiply(rows, columns, count, d, samples, weightGradient.AsSpan(0, rows * columns));
        }

        if (biasGradient is not null)
        {
            Span<float> sums = biasGradient.AsSpan(0, rows);
            sums.Clear();
            for (int b = 0; b < count; b++)
            {
                TensorPrimitives.Add(sums, d.Slice(b * rows, rows), sums);
            }
        }
    }

    /// <summary>
    /// <c>W += delta^T input</c> and <c>bias[i] += sum_b delta[b, i]</c> for <paramref name="count"/>
    /// samples: a gradient step added straight into the layer, the gradient never stored.
    /// </summary>
    public static void AddWeightGradient(DenseLayer layer, ReadOnlySpan<float> delta, ReadOnlyMemory<float> input, int count)
    {
        int rows = layer.Rows, columns = layer.Columns;
        ReadOnlySpan<float> d = delta[..(count * rows)];
        Sgemm.TransposedMultiply(rows, columns, count, d, input.Span[..(count * columns)], layer.Weights, accumulate: true);
        if (layer.Bias is { } bias)
        {
            for (int b = 0; b < count; b++)
            {
                TensorPrimitives.Add(bias, d.Slice(b * rows, rows), bias);
            }
        }
    }

    /// <summary>
    /// <c>inputDelta[b, :] = sum_i delta[b, i] W[i, :]</c>, then zeroed wherever the ReLU output
    /// <paramref name="activation"/> was not positive (its derivative there is 0); with no
    /// activation, the product W^T delta alone.
    /// </summary>
    public static void BackwardDelta(DenseLayer layer, float[] delta, float[]? activation, int count, float[] inputDelta)
    {
        int n = layer.Columns, rows = layer.Rows;
        Span<float> target = inputDelta.AsSpan(0, count * n);
        Sgemm.Multiply(count, n, rows, delta.AsSpan(0, count * rows), layer.Weights, target);
        if (activation is null)
        {
            return;
        }

        ReadOnlySpan<float> a = activation.AsSpan(0, count * n);
        for (int k = 0; k < target.Length; k++)
        {
            if (a[k] <= 0f)
            {
                target[k] = 0f;
            }
        }
    }

    // Row block [i0, i1): columns from i1 on straight into the product, the square on the diagonal
    // through scratch so that only its upper triangle is written.
    private static void UpperRows(int rows, int columns, ReadOnlySpan<float> delta, ReadOnlySpan<float> samples, int count, float[] product)
    {
        float[] square = ArrayPool<float>.Shared.Rent(TriangleBlock * TriangleBlock);
        try
        {
            for (int i0 = 0; i0 < rows; i0 += TriangleBlock)
            {
                int i1 = Math.Min(rows, i0 + TriangleBlock), size = i1 - i0;
                int wide = Math.Min(i1, columns) - i0;
                if (wide <= 0)
                {
                    break;
                }

                ReadOnlySpan<float> a = delta[i0..];
                Sgemm.Multiply(size, wide, count, a, rows, true, samples[i0..], columns, false, square, wide);
                for (int i = 0; i < Math.Min(size, wide); i++)
                {
                    square.AsSpan(i * wide + i, wide - i).CopyTo(product.AsSpan((i0 + i) * columns + i0 + i));
                }

                if (i1 < columns)
                {
                    Sgemm.Multiply(size, columns - i1, count, a, rows, true, samples[i1..], columns, false, product.AsSpan(i0 * columns + i1), columns);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(square);
        }
    }
}
