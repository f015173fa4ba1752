namespace QSI.Federation.Strategies;

/// <summary>
/// Bulyan (El Mhamdi et al. 2018) over Krum: it selects θ = n - 2f updates by Krum, one at a
/// time (the best-scored of those left, rescored among them after each pick), then sets each
/// coordinate to the mean of the β = θ - 2f selected values closest to their median. Against f
/// Byzantine clients it needs n ≥ 4f + 3 updates: each coordinate then moves no further than
/// honest values allow, which Krum alone (one update chosen on the whole vector) does not promise.
/// </summary>
/// <param name="byzantine">f, the Byzantine clients it tolerates.</param>
public sealed class Bulyan(int byzantine) : IStrategy
{
    /// <inheritdoc/>
    public string Name => "bulyan";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => false;

    /// <summary>4f + 3: with fewer updates the selection could be all Byzantine.</summary>
    public int MinimumUpdates => 4 * byzantine + 3;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">There are fewer than 4f + 3 updates.</exception>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var n = updates.Count;
        if (n < MinimumUpdates)
            throw new ArgumentException($"bulyan tolerating f = {byzantine} Byzantine clients needs n >= 4f + 3 = {MinimumUpdates} updates; the round has {n}", nameof(updates));
        var distances = Krum.SquaredDistances(updates);
        var left = Enumerable.Range(0, n).ToList();
        var selected = new List<ClientUpdate>();
        for (var theta = n - 2 * byzantine; selected.Count < theta;)
        {
            var best = Krum.Ranked(distances, left, byzantine)[0];
            selected.Add(updates[best]);
            left.Remove(best);
        }
        var beta = selected.Count - 2 * byzantine;
        Aggregation.Add(parameters, Aggregation.PerCoordinate(selected, sorted => MeanClosestToMedian(sorted, beta)));
    }

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }

    // The beta values nearest the median of sorted values are a run around the middle: grow it one
    // value at a time from the median outwards, taking the nearer neighbour (the lower on a tie).
    private static double MeanClosestToMedian(double[] sorted, int beta)
    {
        var count = sorted.Length;
        var median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        int low = (count - 1) / 2, high = low + 1;
        double sum = 0;
        for (var taken = 0; taken < beta; taken++)
            sum += high >= count || (low >= 0 && median - sorted[low] <= sorted[high] - median) ? sorted[low--] : sorted[high++];
        return sum / beta;
    }
}
