using QSI.Federation.Strategies;

/// <summary>
/// A strategy of one's own: the sample-weighted mean of the updates, each first scaled down to at
/// most the round's median update norm, so that one boosted update cannot outweigh the rest.
/// It needs each update, so it does not run under secure aggregation.
/// </summary>
sealed class CappedMean : IStrategy
{
    public string Name => "capped-mean";

    public bool UsesOnlyTheMean => false;

    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var norms = updates.Select(u => Math.Sqrt(u.Delta.Sum(d => (double)d * d))).ToArray();
        var cap = norms.Order().ElementAt(norms.Length / 2);
        var total = updates.Sum(u => (double)u.Samples);
        for (var k = 0; k < updates.Count; k++)
        {
            var weight = updates[k].Samples / total * Math.Min(1, cap / Math.Max(norms[k], 1e-30));
            for (var i = 0; i < parameters.Length; i++) parameters[i] += (float)(weight * updates[k].Delta[i]);
        }
    }

    public StrategyState SaveState() => StrategyState.Empty;

    public void RestoreState(StrategyState state) { }
}
