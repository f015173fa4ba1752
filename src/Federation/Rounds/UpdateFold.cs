using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>
/// The fit phase's sample-weighted sum of the updates, folded in as they come in, for strategies
/// that use only the mean (<see cref="IStrategy.UsesOnlyTheMean"/>): the server then keeps no
/// update longer than it takes to fold it. Updates are folded in client-id order, the order
/// <see cref="Aggregation.WeightedMean"/> sums them in, so the mean has the same bits as when
/// every update was kept; an update that comes in before those of clients ahead of it waits for
/// them (<see cref="Waiting"/>). A folded task's outcome is final: it counts even if its client
/// leaves afterwards.
/// </summary>
public sealed class UpdateFold
{
    private readonly TaskProgress[] _order;
    private readonly long _parameters;
    private readonly double? _maxNorm;
    private double[]? _sum;
    private long _weight;
    private int _cursor;

    /// <summary>A fold over the fit tasks <paramref name="tasks"/> of models of <paramref name="parameters"/> values.</summary>
    public UpdateFold(IEnumerable<TaskProgress> tasks, long parameters, double? maxNorm)
    {
        _order = [.. tasks.Where(t => t.Kind == TaskKind.Fit).OrderBy(t => t.ClientId, StringComparer.Ordinal)];
        _parameters = parameters;
        _maxNorm = maxNorm;
    }

    /// <summary>Updates folded so far.</summary>
    public int Folded { get; private set; }

    /// <summary>Updates that arrived and wait for the tasks of clients ahead of them to settle.</summary>
    public int Waiting => _order.Skip(_cursor).Count(t => t.Update is not null);

    /// <summary>Folds every settled task from the cursor on, in client-id order, up to the first one still open.</summary>
    public void Advance()
    {
        while (_cursor < _order.Length && _order[_cursor].IsSettled) Fold(_order[_cursor++]);
    }

    /// <summary>At the phase's close: folds whatever counts of the rest (anything unsettled is a straggler and is skipped).</summary>
    public void Finish()
    {
        for (; _cursor < _order.Length; _cursor++)
            if (_order[_cursor].IsSettled) Fold(_order[_cursor]);
    }

    /// <summary>The sample-weighted mean of the folded updates, as one update; null when none was folded.</summary>
    public ClientUpdate? Mean()
    {
        if (_sum is null || _weight == 0) return null;
        var mean = new float[_sum.Length];
        for (var k = 0; k < mean.Length; k++) mean[k] = (float)(_sum[k] / _weight);
        return new ClientUpdate("mean", mean, checked((int)_weight));
    }

    private void Fold(TaskProgress task)
    {
        if (!task.WouldCount || task.Update is not { } update) return;
        if (UpdateCheck.Problem(update.Delta, _parameters, _maxNorm) is { } problem)
        {
            task.Rejected(problem);
            return;
        }
        var delta = update.Delta;
        var sum = _sum ??= new double[delta.Length];
        for (var k = 0; k < sum.Length; k++) sum[k] += (double)delta[k] * update.Samples;
        _weight += update.Samples;
        Folded++;
        task.Folded();
    }
}
