namespace QSI.Federation.Strategies;

/// <summary>
/// What the server asks of each client's local training in a round. Strategies adjust it
/// (FedProx adds a proximal term, FedSGD asks for one step on all local data).
/// </summary>
public sealed record LocalTrainingPlan
{
    /// <summary>Passes over the local data per round.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per local SGD step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Client SGD step size.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>FedProx's mu: the local loss gains (mu/2)|w - w_global|^2, i.e. the gradient gains mu * delta.</summary>
    public double ProximalTerm { get; init; }

    /// <summary>FedSGD: one gradient step over all local samples instead of epochs of mini-batches.</summary>
    public bool SingleStep { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public LocalTrainingPlan Validated()
    {
        if (Epochs < 1) throw new ArgumentException("local epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentException("the local batch size must be at least 1");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException("the client learning rate must be positive");
        if (ProximalTerm < 0 || !double.IsFinite(ProximalTerm)) throw new ArgumentException("the proximal term must be zero or positive");
        return this;
    }
}
