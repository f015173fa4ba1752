using System.Buffers;
using QSI.Protocol.Encoding;

namespace QSI.Protocol.Client;

/// <summary>
/// A batch of inputs applied to copies of one frame, as every device first handles it: the unit
/// directions x = z/|z| with their norms, and the conjugate products x^dagger w_i of every row
/// with each (PROTOCOL.md section 3, step 2). The scratch comes from the shared pools: a
/// training round measures thousands of batches.
/// </summary>
internal sealed class InputBatch : IDisposable
{
    // The unit inputs X, then room for JX: the product reads [X; JX] in place.
    private readonly float[] _units;
    private readonly double[] _norms;
    // Re of every input's products, then Im: the product writes them in place.
    private readonly float[] _products;

    /// <summary>Normalises the <paramref name="count"/> inputs and forms their products with every row of <paramref name="light"/>.</summary>
    public InputBatch(FrameLight light, ReadOnlySpan<float> inputs, int count)
        : this(count, light.Rows, 2 * light.Modes)
    {
        var n = inputs.Length / count;
        for (var b = 0; b < count; b++)
            _norms[b] = InputDirection.Normalize(inputs.Slice(b * n, n), _units.AsSpan(b * Width, Width));
        BatchConjugateProduct.Compute(light, _units, count, _products);
    }

    private InputBatch(int count, int rows, int width)
    {
        Count = count;
        Rows = rows;
        Width = width;
        _units = ArrayPool<float>.Shared.Rent(2 * count * Width);
        _norms = ArrayPool<double>.Shared.Rent(count);
        _products = ArrayPool<float>.Shared.Rent(2 * count * Rows);
    }

    /// <summary>A batch of the inputs <paramref name="samples"/> of this one, in that order, with their products copied, not formed again.</summary>
    public InputBatch Select(ReadOnlySpan<int> samples)
    {
        var batch = new InputBatch(samples.Length, Rows, Width);
        for (var b = 0; b < samples.Length; b++)
        {
            var s = samples[b];
            _units.AsSpan(s * Width, Width).CopyTo(batch._units.AsSpan(b * Width));
            batch._norms[b] = _norms[s];
            Re.Slice(s * Rows, Rows).CopyTo(batch._products.AsSpan(b * Rows));
            Im.Slice(s * Rows, Rows).CopyTo(batch._products.AsSpan((samples.Length + b) * Rows));
        }
        return batch;
    }

    /// <summary>Inputs in the batch.</summary>
    public int Count { get; }

    /// <summary>Rows m of the frame.</summary>
    public int Rows { get; }

    /// <summary>Packed floats per row and per unit input, 2n'.</summary>
    public int Width { get; }

    /// <summary>x of input <paramref name="b"/>, packed (re, im) pairs.</summary>
    public ReadOnlySpan<float> Unit(int b) => _units.AsSpan(b * Width, Width);

    /// <summary>|z| of input <paramref name="b"/>.</summary>
    public double Norm(int b) => _norms[b];

    /// <summary>Re(x^dagger w_i) = w_i . x, at k = b m + i.</summary>
    public ReadOnlySpan<float> Re => _products.AsSpan(0, Count * Rows);

    /// <summary>Im(x^dagger w_i) = w_i . Jx, at k = b m + i.</summary>
    public ReadOnlySpan<float> Im => _products.AsSpan(Count * Rows, Count * Rows);

    /// <summary>
    /// Checks a batch's arguments: <paramref name="count"/> inputs of the frame's width, room for
    /// their estimates.
    /// </summary>
    public static void Check(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a measurement needs at least one input");
        if (inputs.Length != count * frame.Columns)
            throw new ArgumentException($"{count} inputs of {frame.Columns} values need {count * frame.Columns}; got {inputs.Length} for frame {frame.Id}", nameof(inputs));
        if (outputs.Length < count * frame.Rows)
            throw new ArgumentException($"{count} uses of frame {frame.Id} give {count * frame.Rows} estimates; the output holds {outputs.Length}", nameof(outputs));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_units);
        ArrayPool<double>.Shared.Return(_norms);
        ArrayPool<float>.Shared.Return(_products);
    }
}
