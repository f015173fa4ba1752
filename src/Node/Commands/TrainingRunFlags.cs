using System.CommandLine;
using QSI.Federation.Data;
using QSI.Node.Runs;

namespace QSI.Node.Commands;

/// <summary>
/// The flags of a federated run's folder and test set, shared by <c>qsi simulate</c> and
/// <c>qsi server --train</c>: where the run folder goes, resuming it, how many checkpoints it keeps,
/// the data, and the JSON summary.
/// </summary>
internal sealed class TrainingRunFlags(string command)
{
    public Option<string?> Out { get; } = new("--out")
    {
        Description = $"The run folder to write (run.conf, metrics, plots, report, model, checkpoints); created if needed (default: runs/{command}-TIME).",
        HelpName = "DIR",
    };

    public Option<string?> Resume { get; } = new("--resume")
    {
        Description = "Continue the run in DIR from its last checkpoint with the flags it was started with (only --rounds may change, to extend it); it ends as the uninterrupted run would have.",
        HelpName = "DIR",
    };

    public Option<int> Keep { get; } = CheckedOptions.Integer("--keep-checkpoints", "K", "Checkpoints kept in the run folder (the newest K).", minimum: 1, defaultValue: 2);

    public Option<int?> TestLimit { get; } = CheckedOptions.OptionalInteger("--test-limit", "K", "Use only the first K samples of the test set (default: all of it, MNIST's 10,000 images).", minimum: 1);

    public DataFlags Data { get; } = new();

    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>Every flag.</summary>
    public IEnumerable<Option> All => [Out, Resume, Keep, TestLimit, .. Data.All, Json];

    /// <summary>The flags among them that define the run, which run.conf records.</summary>
    public IEnumerable<Option> Defining => [TestLimit, .. Data.All];

    /// <summary>
    /// The flags to run with and the run folder: with <c>--resume DIR</c>, the flags the run was
    /// started with (only <paramref name="allowedWithResume"/> may be given beside it); otherwise
    /// the command line over the defaults of <c>--config</c> (if the command has it), and a new folder.
    /// </summary>
    /// <exception cref="UserError">A flag conflicts with --resume, or a folder or file is unusable.</exception>
    public (ParseResult Parse, RunFolder Folder, bool Resuming) Resolve(ParseResult parse, IEnumerable<Option> options, IReadOnlyCollection<string> allowedWithResume)
    {
        if (parse.GetValue(Resume) is { } resume)
        {
            if (options.FirstOrDefault(o => o != Resume && !allowedWithResume.Contains(o.Name) && parse.GetResult(o) is { Implicit: false }) is { } stray)
                throw new UserError($"{stray.Name} cannot be given with --resume: a resumed run keeps the flags it was started with (only --rounds may change)");
            var existing = RunFolder.Existing(resume);
            return (FlagFile.Reparse(parse, existing.ConfigPath), existing, true);
        }

        if (options.FirstOrDefault(o => o.Name == "--config") is Option<string?> config && parse.GetValue(config) is { } path)
            parse = FlagFile.Reparse(parse, path);
        var folder = RunFolder.CreateNew(parse.GetValue(Out) ?? Path.Combine("runs", $"{command}-{DateTime.Now:yyyyMMdd-HHmmss}"), "--out");
        return (parse, folder, false);
    }

    /// <summary>The data as --data-format, --data, --test-data, --label-column and --cache say.</summary>
    public MnistDataset Dataset(ParseResult parse, Terminal terminal) => Data.Load(parse, terminal);

    /// <summary>The data with its test set limited by --test-limit.</summary>
    public MnistDataset Limited(ParseResult parse, Terminal terminal) => WithTestLimit(Dataset(parse, terminal), parse);

    /// <summary><paramref name="data"/> with its test set limited by --test-limit.</summary>
    public MnistDataset WithTestLimit(MnistDataset data, ParseResult parse) =>
        parse.GetValue(TestLimit) is { } limit ? data with { Test = data.Test.Take(limit) } : data;
}
