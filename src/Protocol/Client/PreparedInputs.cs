using QSI.Protocol.Encoding;

namespace QSI.Protocol.Client;

/// <summary>
/// A set of inputs that will meet one frame many times (a client's own samples in the passes of
/// a training round, PROTOCOL.md section 6): the device simulation forms their unit directions,
/// norms and conjugate products with every row once, on the first use, and each use of a sample
/// reads them instead of forming them again.
/// </summary>
/// <remarks>
/// Nothing physical is shared between uses: each still takes its own copy of the frame and draws
/// its own detector noise, so the estimates and the returned light are distributed exactly as
/// without preparation (and, for the same noise, equal to them). The products stay inside this
/// assembly; the holder sees only the inputs it gave.
/// </remarks>
public sealed class PreparedInputs : IDisposable
{
    private readonly CoherentFrame _frame;
    private readonly float[] _inputs;
    private InputBatch? _products;

    private PreparedInputs(CoherentFrame frame, float[] inputs, int count)
    {
        _frame = frame;
        _inputs = inputs;
        Count = count;
    }

    /// <summary>Products with more elements than this are not prepared: their memory would outgrow their saving.</summary>
    public const long MaxProducts = 1L << 24;

    /// <summary>The frame the inputs meet.</summary>
    public FrameId Frame => _frame.Id;

    /// <summary>Inputs prepared.</summary>
    public int Count { get; }

    /// <summary>
    /// Prepares the <paramref name="count"/> inputs of <paramref name="inputs"/> (row-major, n values
    /// each) for uses of <paramref name="frame"/>; null when the products would hold more than
    /// <see cref="MaxProducts"/> elements. The caller keeps <paramref name="inputs"/> unchanged while it uses them.
    /// </summary>
    public static PreparedInputs? For(CoherentFrame frame, float[] inputs, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (inputs.Length < (long)count * frame.Columns)
            throw new ArgumentException($"{count} inputs of {frame.Columns} values need {count * (long)frame.Columns}; got {inputs.Length}", nameof(inputs));
        return (long)count * frame.Rows > MaxProducts ? null : new PreparedInputs(frame, inputs, count);
    }

    /// <summary>Copies the inputs <paramref name="samples"/> into <paramref name="destination"/>, one row each.</summary>
    public void Gather(ReadOnlySpan<int> samples, Span<float> destination)
    {
        var n = _frame.Columns;
        for (var b = 0; b < samples.Length; b++) Input(samples[b]).CopyTo(destination.Slice(b * n, n));
    }

    /// <summary>Input <paramref name="sample"/>, n values.</summary>
    public ReadOnlySpan<float> Input(int sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, Count);
        return _inputs.AsSpan(sample * _frame.Columns, _frame.Columns);
    }

    /// <summary>The batch of <paramref name="samples"/>, cut from the products of all inputs (formed on the first call).</summary>
    internal InputBatch Batch(ReadOnlySpan<int> samples)
    {
        _products ??= new InputBatch(_frame.Amplitudes(), _inputs.AsSpan(0, Count * _frame.Columns), Count);
        return _products.Select(samples);
    }

    /// <summary>Checks that <paramref name="frame"/> is the frame these inputs were prepared for, and that each of <paramref name="samples"/> is one of them.</summary>
    internal void CheckUse(CoherentFrame frame, ReadOnlySpan<int> samples)
    {
        if (!ReferenceEquals(frame, _frame))
            throw new ArgumentException($"inputs prepared for frame {_frame.Id} cannot be applied to frame {frame.Id}", nameof(frame));
        if (samples.IsEmpty) throw new ArgumentOutOfRangeException(nameof(samples), 0, "a measurement needs at least one input");
        foreach (var sample in samples)
            if ((uint)sample >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(samples), sample, $"sample {sample} of {Count} prepared inputs");
    }

    /// <summary>Gives the products' memory back to the shared pools.</summary>
    public void Dispose()
    {
        _products?.Dispose();
        _products = null;
    }
}
