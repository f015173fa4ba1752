using System.Globalization;
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Node.Output;
using QSI.Node.Reports;
using Spectre.Console;

namespace QSI.Node.Runs;

/// <summary>
/// The server's side of a federated run that <c>qsi simulate</c> and <c>qsi server --train</c>
/// share: the initial model, resuming from the run folder's last checkpoint, and the end of the
/// run: the final model, the test set through the protocol, the summary and the report.
/// </summary>
internal static class TrainingSetup
{
    /// <summary>A fresh run: the network of <paramref name="sizes"/> initialised from the run's seed, evaluated on <paramref name="test"/>.</summary>
    public static FederatedTraining Create(FederationSettings settings, int[] sizes, bool bias, LabeledImages test)
    {
        var model = Mlp.Create(sizes, bias, new Random(RunSeeds.For(settings.Seed, RunSeeds.Purpose.Model)));
        try
        {
            return new FederatedTraining(settings, model, test.NormalizedInputs(), test.Labels.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message, e);
        }
    }

    /// <summary>
    /// Restores <paramref name="training"/> from the newest readable checkpoint of <paramref name="folder"/>; null when the
    /// run had none yet. A damaged checkpoint is passed over for the one before it, with one line on <paramref name="warnings"/>.
    /// </summary>
    /// <exception cref="UserError">The checkpoint does not fit the run.</exception>
    /// <exception cref="CheckpointException">No checkpoint kept can be read; the message names the newest.</exception>
    public static TrainingCheckpoint? Resume(FederatedTraining training, RunFolder folder, TextWriter warnings)
    {
        var kept = folder.Checkpoints();
        if (kept.Count == 0) return null;
        var (path, checkpoint) = Readable(kept, warnings);
        if (checkpoint.CompletedRounds > training.Settings.Rounds)
            throw new UserError($"--resume {folder.Directory}: its checkpoint is of round {checkpoint.CompletedRounds}, past --rounds {training.Settings.Rounds}; give --rounds {checkpoint.CompletedRounds} or more");
        try
        {
            training.Restore(checkpoint);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"checkpoint {path} does not fit this run: {e.Message}", e);
        }
        return checkpoint;
    }

    /// <summary>
    /// The newest of <paramref name="kept"/> (newest first) that reads; each damaged one passed over is named
    /// in one line on <paramref name="warnings"/>. When none reads, one exception names the newest.
    /// </summary>
    private static (string Path, TrainingCheckpoint Checkpoint) Readable(IReadOnlyList<string> kept, TextWriter warnings)
    {
        var damaged = new List<CheckpointException>();
        foreach (var path in kept)
        {
            try
            {
                var checkpoint = CheckpointFile.Load(path);
                foreach (var e in damaged)
                    warnings.WriteLine($"qsi: warning: checkpoint {e.Path} is damaged ({e.Problem}); resuming from the one before it, {path}");
                return (path, checkpoint);
            }
            catch (CheckpointException e)
            {
                damaged.Add(e);
            }
        }
        var newest = damaged[0];
        throw damaged.Count == 1 ? newest
            : new CheckpointException(newest.Path, damaged.Count == 2 ? $"{newest.Problem}; the older checkpoint kept cannot be read either" : $"{newest.Problem}; none of the {damaged.Count - 1} older checkpoints kept can be read either", newest);
    }

    /// <summary>
    /// Ends a completed run: saves the model, classifies the test set through the protocol at the
    /// run's settings, and writes the summary and the report. Returns the summary.
    /// </summary>
    public static SimulationReport Finish(FederatedTraining training, RunFolder folder, LabeledImages test, ChannelSettings channel, int? clients,
        string partition, int? resumedFrom, string config, Terminal terminal, bool json, ExtractionTracker? extraction = null)
    {
        if (training.History.Count == 0) throw new UserError(training.Stopped ?? "no round completed");
        folder.WriteModel(training.Model);
        var secure = ProgressDisplay.Run(terminal, silent: json, display =>
        {
            var bar = display.Add("test set through the protocol", test.Count);
            var result = SecureInference.Run(training.Model, test, new SecureInferenceOptions
            {
                Photons = channel.Photons, Gain = channel.Gain, Transmission = channel.Transmission, Channel = channel.Imperfections,
                Seed = RunSeeds.For(training.Settings.Seed, RunSeeds.Purpose.SecureTest),
            }, new SynchronousProgress<int>(images => bar.Advance(images)));
            bar.Complete($"test set through the protocol: {Display.Percent(result.Accuracy)}");
            return result;
        });
        var history = training.History;
        var last = history[^1];
        var summary = new SimulationReport(
            last.TestAccuracy, secure.Accuracy, last.FederatedAccuracy, last.TestLoss, training.CompletedRounds,
            history.Average(r => r.Seconds), clients ?? history.SelectMany(r => r.Fit.Concat(r.Evaluate)).Select(c => c.ClientId).Distinct().Count(),
            [.. history.SelectMany(r => r.Flagged).Distinct().Order(StringComparer.Ordinal)],
            [.. history.SelectMany(r => r.Stragglers).Distinct().Order(StringComparer.Ordinal)],
            history.Sum(r => r.ExcludedUpdates), history.Sum(r => r.RejectedMessages),
            last.MaxWeightBitsPerWeight, last.MaxDataBits, training.Settings.Plain, training.Settings.Strategy, partition,
            channel.Photons, channel.Gain, training.Settings.Seed, resumedFrom, folder.Directory, folder.ModelPath,
            extraction is null ? null : [.. extraction.Latest.GroupBy(r => r.Layer).OrderBy(g => g.Key).Select(g => g.Min(r => r.RelativeError))],
            extraction?.Latest, history.Sum(r => r.RejectedUpdates), training.Privacy?.Epsilon, training.Privacy?.Settings.Delta, training.Stopped);
        folder.WriteReport(summary, RunReport.Render(summary, training.Settings, history, config));
        return summary;
    }

    /// <summary>The summary on stdout: one JSON object, or a table.</summary>
    public static void Print(SimulationReport s, FederatedTraining training, Terminal terminal, bool json)
    {
        if (json)
        {
            JsonReport.Write(terminal.Output, s);
            return;
        }

        var table = new Table()
            .Title($"{(s.Plain ? "plain" : "secure")} federated training: {s.Strategy}, {s.Clients} clients, {s.Partition}"
                + (s.Plain ? "" : $", mu = {Display.Number(s.Photons)}, G = {Display.Number(s.Gain)}"))
            .AddColumn("")
            .AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("test accuracy (server, digital)", Display.Percent(s.TestAccuracy));
        table.AddRow("test accuracy through the protocol", Display.Percent(s.SecureTestAccuracy));
        if (s.FederatedAccuracy is { } f) table.AddRow("federated accuracy", Display.Percent(f));
        table.AddRow("rounds", s.Rounds.ToString(CultureInfo.InvariantCulture));
        table.AddRow("seconds per round", s.SecondsPerRound.ToString("F2", CultureInfo.InvariantCulture));
        table.AddRow("flagged clients", Markup.Escape(s.FlaggedClients.Count == 0 ? "none" : string.Join(", ", s.FlaggedClients)));
        table.AddRow("stragglers", Markup.Escape(s.Stragglers.Count == 0 ? "none" : string.Join(", ", s.Stragglers)));
        table.AddRow("updates excluded (flagged)", s.ExcludedUpdates.ToString(CultureInfo.InvariantCulture));
        table.AddRow("messages rejected (forged, replayed, another's)", s.RejectedMessages.ToString(CultureInfo.InvariantCulture));
        table.AddRow("updates rejected (not finite, wrong shape, too long)", s.RejectedUpdates.ToString(CultureInfo.InvariantCulture));
        if (s.Epsilon is { } epsilon)
            table.AddRow($"differential privacy, epsilon at delta = {Display.Number(s.Delta ?? 0)}", Display.Number(epsilon));
        if (s.RelativeError is { } relative)
            table.AddRow("extraction attacker's relative error, per layer", string.Join(", ", relative.Select(Display.Number)));
        if (!s.Plain)
        {
            table.AddRow("most weight leakage, bits per weight", Display.Number(s.MaxWeightBitsPerWeight ?? 0));
            table.AddRow("most data leakage, bits per element", Display.Number(s.MaxDataBits ?? 0));
        }
        terminal.Results.Write(table);
        terminal.Output.WriteLine($"run folder {s.Out}: metrics.csv, metrics.json, report.md, plots, model.qsim, checkpoints/");
    }
}
