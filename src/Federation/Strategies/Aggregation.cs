namespace QSI.Federation.Strategies;

/// <summary>
/// The combinations of client updates that strategies share. Their bits do not depend on the
/// order of the updates (<see cref="FixedPointSum"/>; the per-coordinate ones sort), so every
/// process, and a server that folds updates as they come, gets the same bits.
/// </summary>
public static class Aggregation
{
    /// <summary>The sample-weighted mean of the updates' deltas (FedAvg's average).</summary>
    public static float[] WeightedMean(IReadOnlyList<ClientUpdate> updates)
    {
        var sum = new FixedPointSum(CheckedLength(updates));
        foreach (var update in updates) sum.Add(update.Delta, update.Samples);
        if (sum.Samples <= 0) throw new ArgumentException("the updates were trained on no samples", nameof(updates));
        return sum.Mean();
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
