using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>The two things a server asks of clients in a round, as in Flower.</summary>
public enum TaskKind
{
    /// <summary>Train locally from the global model and upload the change.</summary>
    Fit,

    /// <summary>Evaluate the global model on held-out local samples.</summary>
    Evaluate,
}

/// <summary>
/// What the server asks of one client in one round, and how much light it sends for it: one
/// copy of each frame per sample per pass over the data (PROTOCOL.md section 6).
/// </summary>
/// <param name="Round">The round, from 1.</param>
/// <param name="Kind">Fit or evaluate.</param>
/// <param name="Plan">How to train (fit tasks).</param>
/// <param name="Samples">Local samples the task runs over.</param>
/// <param name="Passes">Passes over those samples: local epochs for a fit, 1 for an evaluation or a FedSGD step.</param>
public sealed record RoundTask(int Round, TaskKind Kind, LocalTrainingPlan Plan, int Samples, int Passes)
{
    /// <summary>The task of <paramref name="kind"/> for a client of <paramref name="samples"/> samples.</summary>
    public static RoundTask For(int round, TaskKind kind, LocalTrainingPlan plan, int samples) =>
        new(round, kind, plan, samples, kind == TaskKind.Fit && !plan.SingleStep ? plan.Epochs : 1);

    /// <summary>Under distributed differential privacy, the clip and the noise the client applies to its change before uploading it; null otherwise.</summary>
    public ClientPrivacy? Privacy { get; init; }

    /// <summary>Copies of every layer's frame: one per sample per pass.</summary>
    public long ForwardCopies => (long)Samples * Passes;

    /// <summary>Copies of every transposed frame: one per sample per pass of training; none to evaluate.</summary>
    public long BackwardCopies => Kind == TaskKind.Fit ? ForwardCopies : 0;
}

/// <summary>What a client announces when it joins a federation: its name and how much data it holds.</summary>
/// <param name="ClientId">Unique name of the client.</param>
/// <param name="TrainSamples">Samples it trains on.</param>
/// <param name="EvaluationSamples">Held-out samples it evaluates on.</param>
public sealed record ClientProfile(string ClientId, int TrainSamples, int EvaluationSamples)
{
    /// <summary>Samples a task of <paramref name="kind"/> runs over.</summary>
    public int SamplesFor(TaskKind kind) => kind == TaskKind.Fit ? TrainSamples : EvaluationSamples;
}
