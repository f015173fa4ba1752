using System.Numerics.Tensors;
using QSI.Federation.Models;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The normal equations of one frame matrix's regression from its uses (PROTOCOL.md section 3,
/// step 4): a use with input z gives, for every row i, t_i = y_i/|z| = w_i.x + e_i with x = z/|z|
/// and e_i ~ N(0, sigma^2), so the likelihood of the rows is summed up by the precision-weighted
/// Gram = sum x x^T / sigma^2 and Cross = sum x t^T / sigma^2, shared by all rows.
/// </summary>
/// <remarks>
/// A 784-wide layer over 10^5 queries needs some 6e10 multiply-adds, so uses are gathered into
/// blocks of rows [x/sigma | t/sigma] and each block is added with one product
/// [x/sigma]^T [x/sigma | t/sigma] by the training kernel (<see cref="DenseKernels.WeightGradient(int, int, float[], ReadOnlyMemory{float}, int, float[], float[], float[], bool)"/>),
/// which also skips the zeros ReLU leaves in hidden inputs and, Gram being symmetric, forms only its
/// upper triangle. A block is summed in single precision (at most <see cref="BlockRows"/> terms),
/// blocks in double.
/// </remarks>
internal sealed class NormalEquations
{
    /// <summary>Uses gathered before they are added.</summary>
    public const int BlockRows = 512;

    private readonly float[] _scaledInputs;     // BlockRows x Inputs
    private readonly float[] _scaledBoth;       // BlockRows x (Inputs + Outputs)
    private readonly float[] _transposed;       // the kernel's scratch
    private float[]? _product;                  // Inputs x (Inputs + Outputs), allocated on the first block
    private int _pending;

    /// <summary>Equations of a frame of <paramref name="outputs"/> rows and <paramref name="inputs"/> columns.</summary>
    public NormalEquations(int inputs, int outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        Gram = new double[inputs * inputs];
        Cross = new double[inputs * outputs];
        _scaledInputs = new float[BlockRows * inputs];
        _scaledBoth = new float[BlockRows * (inputs + outputs)];
        _transposed = new float[BlockRows * inputs];
    }

    /// <summary>Columns of the frame: the regression's inputs.</summary>
    public int Inputs { get; }

    /// <summary>Rows of the frame: the regression's targets per use.</summary>
    public int Outputs { get; }

    /// <summary>sum x x^T / sigma^2, row-major Inputs x Inputs; complete (both triangles) only after <see cref="Settle"/>.</summary>
    public double[] Gram { get; }

    /// <summary>sum x t^T / sigma^2, row-major Inputs x Outputs; complete only after <see cref="Settle"/>.</summary>
    public double[] Cross { get; }

    /// <summary>Uses with a nonzero input added so far (a zero input gives an estimate of exactly 0 and no information).</summary>
    public long Uses { get; private set; }

    /// <summary>
    /// Adds <paramref name="count"/> uses: <paramref name="inputs"/> as the frame saw them and the
    /// frame's <paramref name="estimates"/> y, each of noise variance <paramref name="noiseVariance"/> per unit |z|.
    /// </summary>
    public void Add(ReadOnlySpan<float> inputs, ReadOnlySpan<float> estimates, int count, double noiseVariance)
    {
        int n = Inputs, m = Outputs, width = n + m;
        var sigma = Math.Sqrt(noiseVariance);
        for (var b = 0; b < count; b++)
        {
            var z = inputs.Slice(b * n, n);
            // The device's own norm, so that y/|z| undoes exactly what it multiplied by.
            var norm = TensorPrimitives.Norm(z);
            if (norm == 0) continue;
            var scale = (float)(1 / (norm * sigma));
            TensorPrimitives.Multiply(z, scale, _scaledInputs.AsSpan(_pending * n, n));
            _scaledInputs.AsSpan(_pending * n, n).CopyTo(_scaledBoth.AsSpan(_pending * width, n));
            TensorPrimitives.Multiply(estimates.Slice(b * m, m), scale, _scaledBoth.AsSpan(_pending * width + n, m));
            Uses++;
            if (++_pending == BlockRows) Flush();
        }
    }

    /// <summary>Adds the uses still gathered, so that <see cref="Gram"/> and <see cref="Cross"/> are complete.</summary>
    public void Settle()
    {
        if (_pending > 0) Flush();
        int n = Inputs;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < i; j++) Gram[i * n + j] = Gram[j * n + i];
    }

    /// <summary>Scales everything added so far by <paramref name="factor"/> (0 forgets it, 1 keeps it).</summary>
    public void Retain(double factor)
    {
        Settle();
        if (factor == 1) return;
        TensorPrimitives.Multiply(Gram, factor, Gram);
        TensorPrimitives.Multiply(Cross, factor, Cross);
        if (factor == 0) Uses = 0;
    }

    private void Flush()
    {
        int n = Inputs, m = Outputs, width = n + m;
        _product ??= new float[n * width];
        DenseKernels.WeightGradient(n, width, _scaledInputs, _scaledBoth, _pending, _product, null, _transposed, fromDiagonal: true);
        for (var i = 0; i < n; i++)
        {
            var row = _product.AsSpan(i * width, width);
            var gram = Gram.AsSpan(i * n, n);
            for (var j = i; j < n; j++) gram[j] += row[j];
            var cross = Cross.AsSpan(i * m, m);
            for (var k = 0; k < m; k++) cross[k] += row[n + k];
        }
        _pending = 0;
    }
}
