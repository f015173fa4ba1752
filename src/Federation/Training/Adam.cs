using System.Numerics;

namespace QSI.Federation.Training;

/// <summary>
/// The Adam optimiser (Kingma and Ba) with bias correction, arranged exactly like PyTorch's
/// <c>torch.optim.Adam</c> so our runs follow the reference experiment step for step:
/// <c>p -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)</c>.
/// </summary>
public sealed class Adam
{
    // Large enough that a Parallel.For over chunks pays off, small enough to split the 615k weights of a
    // 784x784 layer between cores.
    private const int ChunkSize = 1 << 16;

    private readonly float[][] _parameters;
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;

    /// <summary>Creates an optimiser for the given parameter arrays, updated in place.</summary>
    /// <param name="parameters">Arrays to optimise; gradients must be passed in the same order.</param>
    /// <param name="beta1">Decay of the first-moment estimate.</param>
    /// <param name="beta2">Decay of the second-moment estimate.</param>
    /// <param name="epsilon">Denominator guard.</param>
    public Adam(IReadOnlyList<float[]> parameters, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        _firstMoments = _parameters.Select(p => new float[p.Length]).ToArray();
        _secondMoments = _parameters.Select(p => new float[p.Length]).ToArray();
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator guard.</summary>
    public double Epsilon { get; }

    /// <summary>Number of steps taken so far (t in the bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update using <paramref name="gradients"/> (same order and sizes as the parameters).</summary>
    public void Step(IReadOnlyList<float[]> gradients, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != _parameters.Length)
        {
            throw new ArgumentException($"Expected {_parameters.Length} gradient arrays, got {gradients.Count}.", nameof(gradients));
        }

        StepCount++;
        double correction1 = 1.0 - Math.Pow(Beta1, StepCount);
        double correction2 = 1.0 - Math.Pow(Beta2, StepCount);
        var step = new StepConstants(
            Beta1: (float)Beta1,
            Beta2: (float)Beta2,
            StepSize: (float)(learningRate / correction1),
            Correction2Sqrt: (float)Math.Sqrt(correction2),
            Epsilon: (float)Epsilon);

        for (int a = 0; a < _parameters.Length; a++)
        {
            if (gradients[a].Length != _parameters[a].Length)
            {
                throw new ArgumentException($"Gradient {a} has {gradients[a].Length} values, parameter has {_parameters[a].Length}.", nameof(gradients));
            }

            Update(_parameters[a], gradients[a], _firstMoments[a], _secondMoments[a], step);
        }
    }

    /// <summary>Forgets the moment estimates and step count, as if freshly created.</summary>
    public void Reset()
    {
        StepCount = 0;
        foreach (float[] m in _firstMoments)
        {
            Array.Clear(m);
        }

        foreach (float[] v in _secondMoments)
        {
            Array.Clear(v);
        }
    }

    private static void Update(float[] p, float[] g, float[] m, float[] v, StepConstants c)
    {
        // The update is element-wise, so chunks can run on any thread in any order with identical results.
        int chunks = (p.Length + ChunkSize - 1) / ChunkSize;
        if (chunks == 1)
        {
            UpdateRange(p, g, m, v, c, 0, p.Length);
        }
        else
        {
            Parallel.For(0, chunks, k => UpdateRange(p, g, m, v, c, k * ChunkSize, Math.Min(p.Length, (k + 1) * ChunkSize)));
        }
    }

    private static void UpdateRange(float[] parameters, float[] gradients, float[] first, float[] second, StepConstants c, int start, int end)
    {
        Span<float> p = parameters.AsSpan(start, end - start);
        ReadOnlySpan<float> g = gradients.AsSpan(start, end - start);
        Span<float> m = first.AsSpan(start, end - start);
        Span<float> v = second.AsSpan(start, end - start);

        // Explicit SIMD: the scalar loop (a square root and a division per weight) cost as much as the
        // forward pass of the 784-784-10 network. Lane-wise sqrt and division round exactly like the
        // scalar ones, so both paths produce the same bits.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<float>(c.Beta1);
            var beta2 = new Vector<float>(c.Beta2);
            var oneMinusBeta1 = new Vector<float>(1f - c.Beta1);
            var oneMinusBeta2 = new Vector<float>(1f - c.Beta2);
            var stepSize = new Vector<float>(c.StepSize);
            var correction2Sqrt = new Vector<float>(c.Correction2Sqrt);
            var epsilon = new Vector<float>(c.Epsilon);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = beta1 * new Vector<float>(m[i..]) + oneMinusBeta1 * gi;
                var vi = beta2 * new Vector<float>(v[i..]) + oneMinusBeta2 * gi * gi;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                var denominator = Vector.SquareRoot(vi) / correction2Sqrt + epsilon;
                (new Vector<float>(p[i..]) - stepSize * mi / denominator).CopyTo(p[i..]);
            }
        }

        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = c.Beta1 * m[i] + (1f - c.Beta1) * gi;
            float vi = v[i] = c.Beta2 * v[i] + (1f - c.Beta2) * gi * gi;
            p[i] -= c.StepSize * mi / (MathF.Sqrt(vi) / c.Correction2Sqrt + c.Epsilon);
        }
    }

    private readonly record struct StepConstants(float Beta1, float Beta2, float StepSize, float Correction2Sqrt, float Epsilon);
}
