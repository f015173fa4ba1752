using QSI.Federation.Models;
using QSI.Federation.Strategies;
using QSI.Protocol.Verification;

namespace QSI.Federation.Rounds;

/// <summary>What a client produced for one task.</summary>
/// <param name="Task">The task.</param>
/// <param name="Update">Its change to the global parameters (fit tasks).</param>
/// <param name="TrainLoss">Its mean local training loss (fit tasks).</param>
/// <param name="Evaluation">Its evaluation of the global model (evaluate tasks).</param>
/// <param name="Residuals">The light it returns for the verifier, one whole per frame in the order of <see cref="OpticalTaskLight.All"/>; empty for the plain baseline.</param>
/// <param name="Declined">Why it did not do the task (its data budget), or null.</param>
public sealed record ClientTaskResult(
    RoundTask Task, ClientUpdate? Update, double? TrainLoss, Evaluation? Evaluation,
    IReadOnlyList<ReturnedLight> Residuals, string? Declined)
{
    /// <summary>Messages a forging client sends beside its result (<see cref="Adversaries.ForgingClient"/>); none for any other.</summary>
    public IReadOnlyList<Adversaries.Forgery> Forgeries { get; init; } = [];

    /// <summary>A task the client declined.</summary>
    public static ClientTaskResult Refusal(RoundTask task, string reason) => new(task, null, null, null, [], reason);
}
