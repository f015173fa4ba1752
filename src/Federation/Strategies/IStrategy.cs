namespace QSI.Federation.Strategies;

/// <summary>
/// A server-side federated strategy: how clients train locally and how their updates become
/// the next global parameters. Implementations are deterministic given the order of updates.
/// </summary>
public interface IStrategy
{
    /// <summary>The strategy's name as the command line spells it (e.g. "fedavg").</summary>
    string Name { get; }

    /// <summary>
    /// True when the strategy uses only the sample-weighted mean of the updates, so that it can
    /// work from a securely aggregated sum; false when it needs each update (median, Krum).
    /// </summary>
    bool UsesOnlyTheMean { get; }

    /// <summary>The fewest updates the strategy can combine (Bulyan's 4f + 3); a round with fewer keeps the model.</summary>
    int MinimumUpdates => 1;

    /// <summary>Adjusts the server's default local-training plan for this strategy.</summary>
    LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan);

    /// <summary>
    /// Combines <paramref name="updates"/> (at least one, ordered by client id) into new global
    /// parameters, updating <paramref name="parameters"/> in place.
    /// </summary>
    void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates);

    /// <summary>The strategy's memory between rounds (momentum, moments), for checkpoints.</summary>
    StrategyState SaveState();

    /// <summary>Restores memory saved by <see cref="SaveState"/>.</summary>
    void RestoreState(StrategyState state);
}

/// <summary>A strategy's memory: named vectors and scalars (empty for stateless strategies).</summary>
public sealed record StrategyState(IReadOnlyDictionary<string, float[]> Vectors, IReadOnlyDictionary<string, double> Scalars)
{
    /// <summary>No memory.</summary>
    public static StrategyState Empty { get; } = new(new Dictionary<string, float[]>(), new Dictionary<string, double>());
}
