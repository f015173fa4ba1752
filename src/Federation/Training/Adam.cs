namespace QSI.Federation.Training;

/// <summary>
/// The Adam optimiser (Kingma and Ba) with bias correction, arranged exactly like PyTorch's
/// <c>torch.optim.Adam</c> so our runs follow the reference experiment step for step:
/// <c>p -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)</c>.
/// </summary>
public sealed class Adam
{
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

    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, StepConstants c)
    {
        float oneMinusBeta1 = 1f - c.Beta1, oneMinusBeta2 = 1f - c.Beta2;
        for (int i = 0; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = c.Beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = v[i] = c.Beta2 * v[i] + oneMinusBeta2 * gi * gi;
            p[i] -= c.StepSize * mi / (MathF.Sqrt(vi) / c.Correction2Sqrt + c.Epsilon);
        }
    }

    private readonly record struct StepConstants(float Beta1, float Beta2, float StepSize, float Correction2Sqrt, float Epsilon);
}
