using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>
/// The fit phase's sample-weighted sum of the updates, folded in as they come in, for strategies
/// that use only the mean (<see cref="IStrategy.UsesOnlyTheMean"/>): the server keeps no update
/// longer than it takes to fold it. The sum's bits do not depend on the order of the updates
/// (<see cref="FixedPointSum"/>), so the mean is the one <see cref="Aggregation.WeightedMean"/> gives
/// when every update is kept, whatever order the clients finish in. A folded task's outcome is
/// final: it counts even if its client leaves afterwards.
/// </summary>
public sealed class UpdateFold
{
    private readonly List<TaskProgress> _open;
    private readonly long _parameters;
    private readonly double? _maxNorm;
    private readonly FixedPointSum _sum;

    /// <summary>A fold over the fit tasks <paramref name="tasks"/> of models of <paramref name="parameters"/> values.</summary>
    public UpdateFold(IEnumerable<TaskProgress> tasks, long parameters, double? maxNorm)
    {
        _open = [.. tasks.Where(t => t.Kind == TaskKind.Fit)];
        _parameters = parameters;
        _maxNorm = maxNorm;
        _sum = new FixedPointSum(checked((int)parameters));
    }

    /// <summary>Updates folded so far.</summary>
    public int Folded => _sum.Count;

    /// <summary>Folds the update of every task that has settled since the last call.</summary>
    public void Advance() => _open.RemoveAll(task =>
    {
        if (!task.IsSettled) return false;
        Fold(task);
        return true;
    });

    /// <summary>At the phase's close: folds whatever counts of the rest (anything unsettled is a straggler and is skipped).</summary>
    public void Finish() => Advance();

    /// <summary>The sample-weighted mean of the folded updates, as one update; null when none was folded.</summary>
    public ClientUpdate? Mean() => _sum.Samples == 0 ? null : new ClientUpdate("mean", _sum.Mean(), checked((int)_sum.Samples));

    private void Fold(TaskProgress task)
    {
        if (!task.WouldCount || task.Update is not { } update) return;
        if (UpdateCheck.Problem(update.Delta, update.Samples, _parameters, _maxNorm) is { } problem)
        {
            task.Rejected(problem);
            return;
        }
        _sum.Add(update.Delta, update.Samples);
        task.Folded();
    }
}
