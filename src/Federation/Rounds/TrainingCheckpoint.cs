using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>
/// The state of a federated run between rounds: with the run's settings (whose seed, with the
/// round number, is the whole random state, see <see cref="RunSeeds"/>) it continues the run
/// to the same result as if it had never stopped.
/// </summary>
/// <param name="CompletedRounds">Rounds completed.</param>
/// <param name="Parameters">The global model's parameters, flat in the order of <c>Mlp.Parameters</c>.</param>
/// <param name="Strategy">The strategy's memory.</param>
/// <param name="Leakage">Every client's leakage account, per layer (empty for the plain baseline).</param>
/// <param name="History">The record of every completed round.</param>
public sealed record TrainingCheckpoint(
    int CompletedRounds,
    float[] Parameters,
    StrategyState Strategy,
    IReadOnlyDictionary<string, LayerLeakage[]> Leakage,
    IReadOnlyList<RoundRecord> History);
