using Spectre.Console;

namespace QSI.Node.Output;

/// <summary>
/// Progress of a long command, on stderr: live bars when stderr is a terminal, one line per
/// finished step when it is a file or pipe, and nothing at all with <c>--json</c>.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly ProgressContext? _live;
    private readonly TextWriter? _lines;

    private ProgressDisplay(ProgressContext? live, TextWriter? lines)
    {
        _live = live;
        _lines = lines;
    }

    /// <summary>Runs <paramref name="work"/> with a display suited to <paramref name="terminal"/>.</summary>
    /// <param name="terminal">Where progress goes.</param>
    /// <param name="silent">Show nothing (the result is JSON).</param>
    /// <param name="work">The command's computation; adds one bar per step.</param>
    public static T Run<T>(Terminal terminal, bool silent, Func<ProgressDisplay, T> work)
    {
        if (silent)
        {
            return work(new ProgressDisplay(null, null));
        }

        if (!terminal.ShowsLiveProgress)
        {
            return work(new ProgressDisplay(null, terminal.Error));
        }

        return terminal.Status.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => work(new ProgressDisplay(context, null)));
    }

    /// <summary>Adds a bar for a step of <paramref name="total"/> units.</summary>
    public ProgressBar Add(string description, double total) =>
        new(_live?.AddTask(Markup.Escape(description), maxValue: total), _lines);
}

/// <summary>One step of a <see cref="ProgressDisplay"/>.</summary>
internal sealed class ProgressBar
{
    private readonly ProgressTask? _task;
    private readonly TextWriter? _lines;

    internal ProgressBar(ProgressTask? task, TextWriter? lines)
    {
        _task = task;
        _lines = lines;
    }

    /// <summary>Adds <paramref name="amount"/> finished units; safe to call from several threads.</summary>
    public void Advance(double amount) => _task?.Increment(amount);

    /// <summary>Sets the finished units and the description, e.g. to show a running loss.</summary>
    public void Update(double value, string description)
    {
        if (_task is not null)
        {
            _task.Value = value;
            _task.Description = Markup.Escape(description);
        }
    }

    /// <summary>Marks the step finished, leaving <paramref name="summary"/> as its description (or its line).</summary>
    public void Complete(string summary)
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape(summary);
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }

        _lines?.WriteLine(summary);
    }
}
