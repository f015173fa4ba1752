using System.Globalization;
using System.Text.Json;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Node.Output;

namespace QSI.Node.Runs;

/// <summary>
/// The folder of one federated training run (docs/FEDERATED.md): its settings (<c>run.conf</c>),
/// the metrics history (<c>metrics.csv</c>, <c>metrics.json</c>), plots, <c>report.md</c>, the final
/// model and a checkpoint after every round. Every file is replaced atomically, so a run stopped at
/// any moment leaves a consistent folder that <c>--resume</c> continues.
/// </summary>
internal sealed class RunFolder
{
    private const string CheckpointPrefix = "round-";
    private const string CheckpointExtension = ".zip";

    private RunFolder(string directory) => Directory = directory;

    /// <summary>The folder's full path.</summary>
    public string Directory { get; }

    /// <summary>The run's resolved flags, as <c>--config</c> reads them.</summary>
    public string ConfigPath => Path.Combine(Directory, "run.conf");

    /// <summary>The final model, in QSIM format.</summary>
    public string ModelPath => Path.Combine(Directory, "model.qsim");

    /// <summary>One row per round.</summary>
    public string MetricsCsvPath => Path.Combine(Directory, "metrics.csv");

    /// <summary>The settings and every round's record, every client's part included.</summary>
    public string MetricsJsonPath => Path.Combine(Directory, "metrics.json");

    /// <summary>The run's summary, the object <c>--json</c> prints.</summary>
    public string SummaryPath => Path.Combine(Directory, "summary.json");

    /// <summary>The human-readable report.</summary>
    public string ReportPath => Path.Combine(Directory, "report.md");

    /// <summary>Where the checkpoints go.</summary>
    public string CheckpointDirectory => Path.Combine(Directory, "checkpoints");

    /// <summary>The folder for a new run at <paramref name="path"/>: created, checked writable, and holding no other run.</summary>
    /// <exception cref="UserError">The path cannot be written, or already holds a run.</exception>
    public static RunFolder CreateNew(string path, string flag)
    {
        var folder = new RunFolder(OutputFiles.PrepareDirectory(path, flag));
        if (File.Exists(folder.ConfigPath) || folder.LatestCheckpoint() is not null)
            throw new UserError($"{flag} {folder.Directory} already holds a run; continue it with --resume {path}, or choose another folder");
        return folder;
    }

    /// <summary>The folder of the run to resume at <paramref name="path"/>.</summary>
    /// <exception cref="UserError">The folder holds no run.</exception>
    public static RunFolder Existing(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = new RunFolder(full);
        if (!File.Exists(folder.ConfigPath))
            throw new UserError($"--resume {full}: holds no run (no run.conf); start one with --out {path}");
        _ = OutputFiles.PrepareDirectory(full, "--resume");
        return folder;
    }

    /// <summary>Writes the run's resolved flags.</summary>
    public void WriteConfig(string hocon) => OutputFiles.WriteAtomically(ConfigPath, System.Text.Encoding.UTF8.GetBytes(hocon));

    /// <summary>The path of the newest checkpoint, or null when none was written.</summary>
    public string? LatestCheckpoint() => Checkpoints().FirstOrDefault();

    /// <summary>The paths of the checkpoints kept, newest first.</summary>
    public IReadOnlyList<string> Checkpoints() =>
        System.IO.Directory.Exists(CheckpointDirectory)
            ? [.. System.IO.Directory.GetFiles(CheckpointDirectory, $"{CheckpointPrefix}*{CheckpointExtension}")
                .Where(p => RoundOf(p) is not null).OrderByDescending(p => RoundOf(p))]
            : [];

    /// <summary>Writes the checkpoint of a completed round and drops all but the newest <paramref name="keep"/>.</summary>
    public void WriteCheckpoint(TrainingCheckpoint checkpoint, int keep)
    {
        var path = Path.Combine(CheckpointDirectory, $"{CheckpointPrefix}{checkpoint.CompletedRounds:D4}{CheckpointExtension}");
        OutputFiles.Write(path, target => CheckpointFile.Save(checkpoint, target));
        foreach (var old in System.IO.Directory.GetFiles(CheckpointDirectory, $"{CheckpointPrefix}*{CheckpointExtension}")
                     .Where(p => RoundOf(p) is not null).OrderByDescending(p => RoundOf(p)).Skip(keep))
            File.Delete(old);
    }

    /// <summary>Rewrites the metrics and the plots from the whole history.</summary>
    public void WriteMetrics(FederationSettings settings, IReadOnlyList<RoundRecord> history)
    {
        OutputFiles.WriteAtomically(MetricsCsvPath, System.Text.Encoding.UTF8.GetBytes(MetricsCsv.Render(history)));
        OutputFiles.WriteAtomically(MetricsJsonPath, JsonSerializer.SerializeToUtf8Bytes(new { settings, rounds = history }, CheckpointFile.Json));
        foreach (var (name, png) in RunPlots.Render(settings, history))
            OutputFiles.WriteAtomically(Path.Combine(Directory, name), png);
    }

    /// <summary>The extract adversaries' estimates against the truth, round by round.</summary>
    public string ExtractionCsvPath => Path.Combine(Directory, "extraction.csv");

    /// <summary>Rewrites extraction.csv.</summary>
    public void WriteExtraction(ExtractionTracker extraction) =>
        OutputFiles.WriteAtomically(ExtractionCsvPath, System.Text.Encoding.UTF8.GetBytes(extraction.Csv()));

    /// <summary>Saves the final model.</summary>
    public void WriteModel(Mlp model) => OutputFiles.Write(ModelPath, path => ModelFile.Save(model, path));

    /// <summary>Writes the summary and the report.</summary>
    public void WriteReport(object summary, string markdown)
    {
        OutputFiles.WriteAtomically(SummaryPath, JsonSerializer.SerializeToUtf8Bytes(summary, CheckpointFile.Json));
        OutputFiles.WriteAtomically(ReportPath, System.Text.Encoding.UTF8.GetBytes(markdown));
    }

    private static int? RoundOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.StartsWith(CheckpointPrefix, StringComparison.Ordinal)
            && int.TryParse(name[CheckpointPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var round)
                ? round
                : null;
    }
}
