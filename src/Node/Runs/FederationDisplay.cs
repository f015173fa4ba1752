using System.Diagnostics;
using QSI.Federation.Rounds;
using QSI.Node.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace QSI.Node.Runs;

/// <summary>
/// The live view of a federated run on stderr: a table of the latest rounds (accuracy, loss,
/// leakage, verifier verdicts, time) and a progress line for the round in flight, redrawn in
/// place on a terminal; one line per round when stderr is a file or pipe; nothing with <c>--json</c>.
/// </summary>
internal sealed class FederationDisplay
{
    private const int RowsShown = 15;
    private readonly Terminal _terminal;
    private readonly FederationSettings _settings;
    private readonly bool _silent;
    private readonly List<RoundRecord> _rounds = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (int Round, TaskKind Kind, int Sampled, int Settled)? _phase;
    private int _members;
    private LiveDisplayContext? _live;

    public FederationDisplay(Terminal terminal, FederationSettings settings, bool silent, IEnumerable<RoundRecord> earlier)
    {
        _terminal = terminal;
        _settings = settings;
        _silent = silent;
        _rounds.AddRange(earlier);
    }

    /// <summary>Runs <paramref name="work"/> with the display live (on a terminal) for its duration.</summary>
    public T Run<T>(Func<T> work)
    {
        if (_silent || !_terminal.ShowsLiveProgress) return work();
        var result = default(T)!;
        _terminal.Status.Live(Render()).AutoClear(false).Start(context =>
        {
            _live = context;
            result = work();
            _live.UpdateTarget(Render());
            _live = null;
        });
        return result;
    }

    private long? _lastAnnounced;

    public void Members(int clients, bool verifier)
    {
        _members = clients;
        // Thousands of clients join in a second: a line a second, and the one that completes the count.
        var announce = clients >= _settings.MinAvailableClients || _lastAnnounced is not { } last || Stopwatch.GetElapsedTime(last) >= TimeSpan.FromSeconds(1);
        if (announce && _phase is null && !_silent && !_terminal.ShowsLiveProgress && _rounds.Count == 0)
        {
            _lastAnnounced = Stopwatch.GetTimestamp();
            _terminal.Error.WriteLine($"waiting for clients: {clients} of {_settings.MinAvailableClients} joined{(_settings.Plain || verifier ? "" : ", no verifier yet")}");
        }
        Refresh();
    }

    public void PhaseStarted(int round, TaskKind kind, int sampled)
    {
        _phase = (round, kind, sampled, 0);
        Refresh();
    }

    public void TaskSettled()
    {
        if (_phase is { } p) _phase = p with { Settled = p.Settled + 1 };
        Refresh();
    }

    public void RoundCompleted(RoundRecord record)
    {
        _rounds.Add(record);
        _phase = null;
        if (!_silent && !_terminal.ShowsLiveProgress) _terminal.Error.WriteLine(Line(record));
        Refresh();
    }

    private void Refresh() => _live?.UpdateTarget(Render());

    private string Line(RoundRecord r) =>
        $"round {r.Round}/{_settings.Rounds}: test accuracy {Display.Percent(r.TestAccuracy)}, test loss {r.TestLoss:F4}"
        + (r.FederatedAccuracy is { } f ? $", federated {Display.Percent(f)}" : "")
        + (_settings.Plain ? "" : $", eps-hat {Noise(r)}, flagged {r.Flagged.Count()}, weight bits {Display.Number(r.MaxWeightBitsPerWeight ?? 0)}, data bits {Display.Number(r.MaxDataBits ?? 0)}")
        + (r.Stragglers.Any() ? $", stragglers {string.Join(' ', r.Stragglers)}" : "")
        + (r.RejectedUpdates > 0 ? $", rejected updates {r.RejectedUpdates}" : "")
        + $", {r.Seconds:F1} s";

    private IRenderable Render()
    {
        var table = new Table()
            .Border(TableBorder.Simple)
            .Title($"{(_settings.Plain ? "plain" : "secure")} federated training, {_settings.Strategy}"
                + (_settings.Plain ? "" : $", mu = {Display.Number(_settings.Channel!.Photons)}, G = {Display.Number(_settings.Channel.Gain)}"));
        var columns = new List<string> { "round", "test %", "loss", "fed %", "train" };
        if (!_settings.Plain) columns.AddRange(["eps-hat", "flag", "w bits", "d bits"]);
        columns.AddRange(["ok", "s"]);
        // Narrow columns keep the table within 80 characters.
        foreach (var name in columns) table.AddColumn(new TableColumn(name).RightAligned().Padding(1, 0, 0, 0));
        foreach (var r in _rounds.TakeLast(RowsShown))
        {
            var cells = new List<string>
            {
                r.Round.ToString(), Percent(r.TestAccuracy), r.TestLoss.ToString("F3"),
                r.FederatedAccuracy is { } f ? Percent(f) : "-", r.TrainLoss is { } t ? t.ToString("F3") : "-",
            };
            if (!_settings.Plain)
                cells.AddRange([Noise(r), r.Flagged.Count().ToString(), Bits(r.MaxWeightBitsPerWeight), Bits(r.MaxDataBits)]);
            cells.AddRange([$"{r.Aggregated.Count()}/{r.Fit.Count}", r.Seconds.ToString("F1")]);
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return new Rows(table, new Markup(Markup.Escape(Status())));
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("F2");

    private static string Bits(double? bits) => bits is { } b ? b.ToString(b < 10 ? "F2" : b < 100 ? "F1" : "F0") : "-";

    private string Status()
    {
        var done = _rounds.Count;
        var bar = Bar((double)done / _settings.Rounds, 30);
        var phase = _phase is { } p
            ? $"round {p.Round}: {(p.Kind == TaskKind.Fit ? "training" : "evaluating")}, {p.Settled}/{p.Sampled} clients done"
            : done >= _settings.Rounds ? "done" : $"waiting for clients ({_members} joined)";
        return $"{bar} {done}/{_settings.Rounds} rounds · {phase} · {_clock.Elapsed:hh\\:mm\\:ss}";
    }

    private static string Bar(double fraction, int width)
    {
        var full = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return new string('█', full) + new string('░', width - full);
    }

    private static string Noise(RoundRecord r)
    {
        var checks = r.Fit.Where(c => c.ExcessNoise is not null).ToArray();
        return checks.Length == 0 ? "-" : checks.Average(c => c.ExcessNoise!.Value).ToString("F3");
    }
}
