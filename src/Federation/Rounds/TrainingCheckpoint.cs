using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>
/// The state of a federated run between rounds: with the run's settings it continues the run
/// to the same result as if it had never stopped. Its random state is the seed and the number
/// of completed rounds: every stream of a round derives from them (<see cref="RunSeeds"/>).
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="CompletedRounds">Rounds completed.</param>
/// <param name="Parameters">The global model's parameters, flat in the order of <c>Mlp.Parameters</c>.</param>
/// <param name="Strategy">The strategy's memory.</param>
/// <param name="Leakage">Every client's leakage account, per layer (empty for the plain baseline).</param>
/// <param name="History">The record of every completed round.</param>
public sealed record TrainingCheckpoint(
    int Seed,
    int CompletedRounds,
    float[] Parameters,
    StrategyState Strategy,
    IReadOnlyDictionary<string, LayerLeakage[]> Leakage,
    IReadOnlyList<RoundRecord> History);
