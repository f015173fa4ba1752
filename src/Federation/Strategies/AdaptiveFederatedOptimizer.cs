namespace QSI.Federation.Strategies;

/// <summary>The server optimisers of adaptive federated optimisation (Reddi et al. 2021).</summary>
public enum AdaptiveRule
{
    /// <summary>v += delta^2.</summary>
    Adagrad,

    /// <summary>v = beta2 v + (1 - beta2) delta^2.</summary>
    Adam,

    /// <summary>v -= (1 - beta2) delta^2 sign(v - delta^2): v grows no faster than additively.</summary>
    Yogi,
}

/// <summary>
/// FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021, Algorithm 2): the mean client delta
/// is the server's pseudo-gradient; m = beta1 m + (1 - beta1) delta, v by the rule, and
/// x += eta m / (sqrt v + tau). Clients train as in FedAvg.
/// </summary>
public sealed class AdaptiveFederatedOptimizer(AdaptiveRule rule, double learningRate, double beta1, double beta2, double tau) : IStrategy
{
    private float[]? _first;
    private float[]? _second;

    /// <inheritdoc/>
    public string Name => rule switch
    {
        AdaptiveRule.Adagrad => "fedadagrad",
        AdaptiveRule.Adam => "fedadam",
        _ => "fedyogi",
    };

    /// <inheritdoc/>
    public bool UsesOnlyTheMean => true;

    /// <inheritdoc/>
    public LocalTrainingPlan ConfigureClients(LocalTrainingPlan plan) => plan;

    /// <inheritdoc/>
    public void Aggregate(float[] parameters, IReadOnlyList<ClientUpdate> updates)
    {
        var delta = Aggregation.WeightedMean(updates);
        _first ??= new float[parameters.Length];
        _second ??= new float[parameters.Length];
        for (var k = 0; k < parameters.Length; k++)
        {
            double d = delta[k], squared = d * d, v = _second[k];
            var m = beta1 * _first[k] + (1 - beta1) * d;
            v = rule switch
            {
                AdaptiveRule.Adagrad => v + squared,
                AdaptiveRule.Adam => beta2 * v + (1 - beta2) * squared,
                _ => v - (1 - beta2) * squared * Math.Sign(v - squared),
            };
            _first[k] = (float)m;
            _second[k] = (float)v;
            parameters[k] += (float)(learningRate * m / (Math.Sqrt(v) + tau));
        }
    }

    /// <inheritdoc/>
    public StrategyState SaveState() => _first is null || _second is null
        ? StrategyState.Empty
        : new StrategyState(
            new Dictionary<string, float[]> { ["first-moment"] = (float[])_first.Clone(), ["second-moment"] = (float[])_second.Clone() },
            new Dictionary<string, double>());

    /// <inheritdoc/>
    public void RestoreState(StrategyState state)
    {
        _first = state.Vectors.TryGetValue("first-moment", out var m) ? (float[])m.Clone() : null;
        _second = state.Vectors.TryGetValue("second-moment", out var v) ? (float[])v.Clone() : null;
    }
}
