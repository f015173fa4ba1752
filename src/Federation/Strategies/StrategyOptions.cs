namespace QSI.Federation.Strategies;

/// <summary>
/// The tunable settings of every strategy; each strategy reads the ones it needs. The defaults
/// were checked on MNIST with the 784-784-10 network (docs/FEDERATED.md, "Strategies").
/// </summary>
public sealed record StrategyOptions
{
    /// <summary>Server step size eta of FedAvgM and the adaptive strategies (FedAdam, FedYogi, FedAdagrad).</summary>
    public double? ServerLearningRate { get; init; }

    /// <summary>Server momentum beta of FedAvgM.</summary>
    public double ServerMomentum { get; init; } = 0.9;

    /// <summary>FedProx's proximal coefficient mu.</summary>
    public double ProximalMu { get; init; } = 0.01;

    /// <summary>First-moment decay beta1 of the adaptive strategies.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Second-moment decay beta2 of FedAdam and FedYogi.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>Adaptivity tau of the adaptive strategies: added to sqrt(v), it bounds the step where v is tiny.</summary>
    public double Tau { get; init; } = 1e-3;

    /// <summary>Fraction of values FedTrimmedAvg cuts from each end of every coordinate.</summary>
    public double TrimFraction { get; init; } = 0.2;

    /// <summary>Byzantine clients f that Krum, Multi-Krum and Bulyan tolerate (Bulyan needs 4f + 3 updates a round).</summary>
    public int ByzantineClients { get; init; }

    /// <summary>Updates Multi-Krum keeps and averages (0: all but f).</summary>
    public int KrumKeep { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public StrategyOptions Validated()
    {
        if (ServerLearningRate is { } eta && !(eta > 0 && double.IsFinite(eta))) throw new ArgumentException("the server learning rate must be positive");
        if (ServerMomentum is < 0 or >= 1) throw new ArgumentException("the server momentum must be in [0, 1)");
        if (ProximalMu < 0 || !double.IsFinite(ProximalMu)) throw new ArgumentException("FedProx's mu must be zero or positive");
        if (Beta1 is < 0 or >= 1) throw new ArgumentException("beta1 must be in [0, 1)");
        if (Beta2 is < 0 or >= 1) throw new ArgumentException("beta2 must be in [0, 1)");
        if (!(Tau > 0)) throw new ArgumentException("tau must be positive");
        if (TrimFraction is < 0 or >= 0.5) throw new ArgumentException("the trim fraction must be in [0, 0.5)");
        if (ByzantineClients < 0) throw new ArgumentException("the number of Byzantine clients must be zero or positive");
        if (KrumKeep < 0) throw new ArgumentException("the number of updates Multi-Krum keeps must be zero or positive");
        return this;
    }
}
