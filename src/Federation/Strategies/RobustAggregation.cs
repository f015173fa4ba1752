namespace QSI.Federation.Strategies;

/// <summary>
/// FedMedian (Yin et al. 2018): the coordinate-wise median of the client deltas, which a
/// minority of arbitrary updates cannot drag far.
/// </summary>
public sealed class FedMedian : IStrategy
{
    /// <inheritdoc/>
    public string Name => "fedmedian";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => false;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates) =>
        Aggregation.Add(parameters, Aggregation.PerCoordinate(updates, sorted =>
            sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2));

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }
}

/// <summary>
/// FedTrimmedAvg (Yin et al. 2018): per coordinate, drop the floor(beta n) largest and smallest
/// deltas and average the rest.
/// </summary>
public sealed class FedTrimmedAvg(double trimFraction) : IStrategy
{
    /// <inheritdoc/>
    public string Name => "fedtrimmedavg";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => false;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var cut = (int)(trimFraction * updates.Count);
        Aggregation.Add(parameters, Aggregation.PerCoordinate(updates, sorted =>
        {
            double sum = 0;
            for (var u = cut; u < sorted.Length - cut; u++) sum += sorted[u];
            return sum / (sorted.Length - 2 * cut);
        }));
    }

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }
}

/// <summary>
/// Krum and Multi-Krum (Blanchard et al. 2017): each update is scored by the summed squared
/// distances to its n - f - 2 nearest others; Krum applies the best-scored update, Multi-Krum
/// the sample-weighted mean of the <c>keep</c> best.
/// </summary>
public sealed class Krum(int byzantine, int keep, bool multi) : IStrategy
{
    /// <inheritdoc/>
    public string Name => multi ? "multikrum" : "krum";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => false;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var n = updates.Count;
        var ranked = Ranked(SquaredDistances(updates), [.. Enumerable.Range(0, n)], byzantine);
        var chosen = multi ? (keep > 0 ? Math.Min(keep, n) : Math.Max(1, n - byzantine)) : 1;
        Aggregation.Add(parameters, Aggregation.WeightedMean(ranked.Take(chosen).Select(i => updates[i]).ToArray()));
    }

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }

    /// <summary>The squared Euclidean distance between every two updates' deltas.</summary>
    internal static double[,] SquaredDistances(IReadOnlyList<ClientUpdate> updates)
    {
        var n = updates.Count;
        var distances = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                double sum = 0;
                var a = updates[i].Delta;
                var b = updates[j].Delta;
                for (var k = 0; k < a.Length; k++) sum += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
                distances[i, j] = distances[j, i] = sum;
            }
        return distances;
    }

    /// <summary>
    /// The <paramref name="candidates"/> best Krum score first: each scored by the summed
    /// <paramref name="distances"/> to its m - f - 2 closest other candidates (at least one), of m.
    /// </summary>
    internal static int[] Ranked(double[,] distances, IReadOnlyList<int> candidates, int byzantine)
    {
        var m = candidates.Count;
        var neighbours = Math.Clamp(m - byzantine - 2, 1, Math.Max(1, m - 1));
        var scores = candidates.ToDictionary(i => i, i => candidates.Where(j => j != i).Select(j => distances[i, j]).Order().Take(neighbours).Sum());
        return [.. candidates.OrderBy(i => scores[i]).ThenBy(i => i)];
    }
}
