namespace QSI.Federation.Data;

/// <summary>
/// Per-feature standardisation (x - mean) / std, fitted on a training set only and then applied
/// to any set, so the test rows never shape the transform. A constant feature gets std 1.
/// </summary>
/// <param name="Mean">Mean of each feature over the fitted rows.</param>
/// <param name="Std">Population standard deviation of each feature (1 where it is 0).</param>
public sealed record FeatureStandardizer(double[] Mean, double[] Std)
{
    /// <summary>Fits the means and deviations of the <paramref name="features"/>-wide rows of <paramref name="values"/>.</summary>
    public static FeatureStandardizer Fit(ReadOnlySpan<float> values, int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        var rows = values.Length / features;
        var mean = new double[features];
        var std = new double[features];
        for (var r = 0; r < rows; r++)
            for (var f = 0; f < features; f++)
                mean[f] += values[r * features + f];
        for (var f = 0; f < features; f++)
            mean[f] /= Math.Max(rows, 1);
        for (var r = 0; r < rows; r++)
            for (var f = 0; f < features; f++)
            {
                var d = values[r * features + f] - mean[f];
                std[f] += d * d;
            }

        for (var f = 0; f < features; f++)
        {
            var s = Math.Sqrt(std[f] / Math.Max(rows, 1));
            std[f] = s > 0 ? s : 1;
        }

        return new FeatureStandardizer(mean, std);
    }

    /// <summary>The standardised copy of <paramref name="values"/>, rows as wide as <see cref="Mean"/>.</summary>
    public float[] Apply(ReadOnlySpan<float> values)
    {
        var n = Mean.Length;
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (float)((values[i] - Mean[i % n]) / Std[i % n]);
        return result;
    }
}
