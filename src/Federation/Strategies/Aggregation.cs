namespace QSI.Federation.Strategies;

/// <summary>
/// The combinations of client updates that strategies share. Sums run in double precision and
/// in the order of the updates (by client id), so every process gets the same bits.
/// </summary>
public static class Aggregation
{
    /// <summary>The sample-weighted mean of the updates' deltas (FedAvg's average).</summary>
    public static float[] WeightedMean(IReadOnlyList<ClientUpdate> updates)
    {
        var length = CheckedLength(updates);
        var sum = new double[length];
        double weight = 0;
        foreach (var update in updates)
        {
            var delta = update.Delta;
            for (var k = 0; k < length; k++) sum[k] += (double)delta[k] * update.Samples;
            weight += update.Samples;
        }
        if (weight <= 0) throw new ArgumentException("the updates were trained on no samples", nameof(updates));
        var mean = new float[length];
        for (var k = 0; k < length; k++) mean[k] = (float)(sum[k] / weight);
        return mean;
    }

    /// <summary>
    /// Applies <paramref name="combine"/> to each coordinate's values across the updates, sorted
    /// ascending (median, trimmed mean).
    /// </summary>
    public static float[] PerCoordinate(IReadOnlyList<ClientUpdate> updates, Func<double[], double> combine)
    {
        var length = CheckedLength(updates);
        var result = new float[length];
        var values = new double[updates.Count];
        for (var k = 0; k < length; k++)
        {
            for (var u = 0; u < values.Length; u++) values[u] = updates[u].Delta[k];
            Array.Sort(values);
            result[k] = (float)combine(values);
        }
        return result;
    }

    /// <summary>parameters += step.</summary>
    public static void Add(float[] parameters, ReadOnlySpan<float> step)
    {
        if (step.Length != parameters.Length)
            throw new ArgumentException($"a step of {step.Length} values for {parameters.Length} parameters", nameof(step));
        System.Numerics.Tensors.TensorPrimitives.Add(parameters, step, parameters);
    }

    private static int CheckedLength(IReadOnlyList<ClientUpdate> updates)
    {
        if (updates.Count == 0) throw new ArgumentException("there are no updates to aggregate", nameof(updates));
        var length = updates[0].Delta.Length;
        foreach (var update in updates)
            if (update.Delta.Length != length)
                throw new ArgumentException($"client {update.ClientId} sent {update.Delta.Length} values; {updates[0].ClientId} sent {length}", nameof(updates));
        return length;
    }
}
