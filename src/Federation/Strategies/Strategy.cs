namespace QSI.Federation.Strategies;

/// <summary>The strategies by the names the command line uses.</summary>
public static class Strategy
{
    /// <summary>Every strategy's name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["fedavg", "fedsgd", "fedavgm", "fedprox", "fedadam", "fedyogi", "fedadagrad", "fedmedian", "fedtrimmedavg", "krum", "multikrum", "bulyan"];

    /// <summary>A fresh strategy <paramref name="name"/> with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">No strategy has that name, or an option is out of range.</exception>
    public static IStrategy Create(string name, StrategyOptions? options = null)
    {
        var o = (options ?? new StrategyOptions()).Validated();
        return name.ToLowerInvariant() switch
        {
            "fedavg" => new FedAvg(),
            "fedsgd" => new FedSgd(),
            "fedavgm" => new FedAvgM(o.ServerLearningRate ?? 1.0, o.ServerMomentum),
            "fedprox" => new FedProx(o.ProximalMu),
            "fedadam" => new AdaptiveFederatedOptimizer(AdaptiveRule.Adam, o.ServerLearningRate ?? 0.01, o.Beta1, o.Beta2, o.Tau),
            "fedyogi" => new AdaptiveFederatedOptimizer(AdaptiveRule.Yogi, o.ServerLearningRate ?? 0.01, o.Beta1, o.Beta2, o.Tau),
            "fedadagrad" => new AdaptiveFederatedOptimizer(AdaptiveRule.Adagrad, o.ServerLearningRate ?? 0.01, 0, o.Beta2, o.Tau),
            "fedmedian" => new FedMedian(),
            "fedtrimmedavg" => new FedTrimmedAvg(o.TrimFraction),
            "krum" => new Krum(o.ByzantineClients, 1, multi: false),
            "multikrum" => new Krum(o.ByzantineClients, o.KrumKeep, multi: true),
            "bulyan" => new Bulyan(o.ByzantineClients),
            _ => throw new ArgumentException($"'{name}' is not a strategy; use one of {string.Join(", ", Names)}"),
        };
    }
}
