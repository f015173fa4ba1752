namespace QSI.Federation.Privacy;

/// <summary>L2 clipping of an update, the step that bounds one client's influence on the sum (its sensitivity).</summary>
public static class Clipping
{
    /// <summary>The L2 norm of <paramref name="values"/>, accumulated in double.</summary>
    public static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales <paramref name="values"/> by min(1, <paramref name="bound"/> / |values|) in place and
    /// returns the norm before; a vector with a non-finite value is zeroed (it carries no bound).
    /// </summary>
    public static double ClipInPlace(Span<float> values, double bound)
    {
        if (!(bound > 0)) throw new ArgumentException($"a clipping norm must be positive; got {bound}");
        var norm = Norm(values);
        if (!double.IsFinite(norm))
        {
            values.Clear();
            return norm;
        }
        if (norm > bound)
        {
            // 2^-20 below the exact factor: the float products, each within 2^-24 of exact, then stay inside the bound.
            var scale = (float)(bound / norm * (1 - 1.0 / (1 << 20)));
            for (var k = 0; k < values.Length; k++) values[k] *= scale;
        }
        return norm;
    }
}
