using System.Numerics.Tensors;

namespace QSI.Federation.Models;

/// <summary>
/// A fully connected layer computing <c>y = W x (+ b)</c>. The weights are stored row-major,
/// <see cref="Rows"/> x <see cref="Columns"/>, so row <c>i</c> holds the incoming weights of output unit <c>i</c>.
/// That layout makes every output a dot product of two contiguous vectors, which is also how the
/// optical/quantum hardware consumes one row per output.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates a zero-initialised layer.</summary>
    /// <param name="rows">Number of outputs (m).</param>
    /// <param name="columns">Number of inputs (n).</param>
    /// <param name="hasBias">Whether the layer carries a bias vector.</param>
    public DenseLayer(int rows, int columns, bool hasBias)
        : this(rows, columns, new float[CheckedSize(rows, columns)], hasBias ? new float[rows] : null)
    {
    }

    /// <summary>Wraps existing parameter arrays (no copy).</summary>
    /// <param name="rows">Number of outputs (m).</param>
    /// <param name="columns">Number of inputs (n).</param>
    /// <param name="weights">Row-major m x n weights.</param>
    /// <param name="bias">Bias of length m, or null for a bias-free layer.</param>
    public DenseLayer(int rows, int columns, float[] weights, float[]? bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int size = CheckedSize(rows, columns);
        if (weights.Length != size)
        {
            throw new ArgumentException($"Expected {rows}x{columns} = {size} weights, got {weights.Length}.", nameof(weights));
        }

        if (bias is not null && bias.Length != rows)
        {
            throw new ArgumentException($"Expected a bias of length {rows}, got {bias.Length}.", nameof(bias));
        }

        Rows = rows;
        Columns = columns;
        Weights = weights;
        Bias = bias;
    }

    /// <summary>Number of outputs (m).</summary>
    public int Rows { get; }

    /// <summary>Number of inputs (n).</summary>
    public int Columns { get; }

    /// <summary>Row-major m x n weights; row <c>i</c> is output unit <c>i</c>.</summary>
    public float[] Weights { get; }

    /// <summary>Bias of length m, or null when the layer has none.</summary>
    public float[]? Bias { get; }

    /// <summary>Number of trainable parameters (weights plus bias).</summary>
    public int ParameterCount => Weights.Length + (Bias?.Length ?? 0);

    /// <summary>The weights of output unit <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Weights.AsSpan(row * Columns, Columns);

    /// <summary>
    /// Fills the parameters the way PyTorch's <c>nn.Linear</c> does by default (Kaiming-uniform with
    /// a = sqrt(5)), i.e. U(-1/sqrt(n), 1/sqrt(n)) for weights and bias, so our runs start from the
    /// same distribution as the reference experiment.
    /// </summary>
    /// <param name="rng">Source of randomness; the only one used.</param>
    public void InitializeUniform(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double bound = 1.0 / Math.Sqrt(Columns);
        Fill(Weights, bound, rng);
        if (Bias is not null)
        {
            Fill(Bias, bound, rng);
        }
    }

    /// <summary>Computes <c>output = W input (+ b)</c> for one sample.</summary>
    /// <param name="input">Vector of length <see cref="Columns"/>.</param>
    /// <param name="output">Vector of length <see cref="Rows"/>.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Columns || output.Length != Rows)
        {
            throw new ArgumentException($"Layer {Rows}x{Columns} got input {input.Length} and output {output.Length}.");
        }

        for (int i = 0; i < Rows; i++)
        {
            output[i] = TensorPrimitives.Dot(Row(i), input);
        }

        if (Bias is not null)
        {
            TensorPrimitives.Add(output, Bias, output);
        }
    }

    /// <summary>A deep copy with independent parameter arrays.</summary>
    public DenseLayer Clone() => new(Rows, Columns, (float[])Weights.Clone(), (float[]?)Bias?.Clone());

    private static void Fill(float[] values, double bound, Random rng)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    private static int CheckedSize(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        long size = (long)rows * columns;
        if (size > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}x{columns} layer does not fit in one array.");
        }

        return (int)size;
    }
}
