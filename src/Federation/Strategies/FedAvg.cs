namespace QSI.Federation.Strategies;

/// <summary>
/// Federated averaging (McMahan et al. 2017): clients train a few local epochs, the server
/// moves the global parameters by the sample-weighted mean of their deltas.
/// </summary>
public sealed class FedAvg : IStrategy
{
    /// <inheritdoc/>
    public string Name => "fedavg";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => true;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates) =>
        Aggregation.Add(parameters, Aggregation.WeightedMean(updates));

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }
}

/// <summary>
/// Federated SGD: each client takes one gradient step over all its samples; the server averages
/// the steps by sample count, which is one step of full-batch gradient descent.
/// </summary>
public sealed class FedSgd : IStrategy
{
    /// <inheritdoc/>
    public string Name => "fedsgd";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => true;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan with { SingleStep = true, Epochs = 1 };

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates) =>
        Aggregation.Add(parameters, Aggregation.WeightedMean(updates));

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }
}

/// <summary>
/// FedProx (Li et al. 2020): FedAvg whose clients add (mu/2)|w - w_global|^2 to their loss,
/// which keeps drifting clients near the global model on skewed data.
/// </summary>
public sealed class FedProx(double mu) : IStrategy
{
    /// <inheritdoc/>
    public string Name => "fedprox";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => true;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan with { ProximalTerm = mu };

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates) =>
        Aggregation.Add(parameters, Aggregation.WeightedMean(updates));

    /// <inheritdoc/>
    public StrategyState SaveState() => StrategyState.Empty;

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) { }
}
