namespace QSI.Federation.Strategies;

/// <summary>
/// FedAvg with server momentum (Hsu et al. 2019): the pseudo-gradient g = -(mean delta) feeds
/// v = beta v + g, and the server steps x -= eta v. With beta = 0 and eta = 1 it is FedAvg.
/// </summary>
public sealed class FedAvgM(double learningRate, double momentum) : IStrategy
{
    private float[]? _velocity;

    /// <inheritdoc/>
    public string Name => "fedavgm";

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => true;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var mean = Aggregation.WeightedMean(updates);
        _velocity ??= new float[parameters.Length];
        for (var k = 0; k < parameters.Length; k++)
        {
            // v holds the momentum of -g, so that x += eta v.
            _velocity[k] = (float)(momentum * _velocity[k] + mean[k]);
            parameters[k] += (float)(learningRate * _velocity[k]);
        }
    }

    /// <inheritdoc/>
    public StrategyState SaveState() => _velocity is null
        ? StrategyState.Empty
        : new StrategyState(new Dictionary<string, float[]> { ["velocity"] = (float[])_velocity.Clone() }, new Dictionary<string, double>());

    /// <inheritdoc/>
    public void RestoreState(StrategyState state) =>
        _velocity = state.Vectors.TryGetValue("velocity", out var v) ? (float[])v.Clone() : null;
}
