namespace QSI.Federation.Data;

/// <summary>
/// A training and a test set read from CSV tables of numeric features (docs/DATA.md, "CSV data"):
/// the test rows come from their own table or, without one, from a seeded hold-out split of the
/// training table. Every feature is standardised with the means and deviations of the training
/// rows alone, and the same statistics are applied to the test rows, so nothing about the test
/// rows shapes the inputs.
/// </summary>
/// <param name="Data">The standardised sets and their class count.</param>
/// <param name="Standardizer">The statistics fitted on the training rows.</param>
/// <param name="FeatureNames">The feature columns, in file order.</param>
/// <param name="ClassNames">The label text of each class id.</param>
public sealed record CsvDataset(MnistDataset Data, FeatureStandardizer Standardizer, IReadOnlyList<string> FeatureNames, IReadOnlyList<string> ClassNames)
{
    /// <summary>The fraction of the training table held out as the test set when no test table is given.</summary>
    public const double HoldOutFraction = 0.2;

    /// <summary>
    /// The seed of the hold-out split: fixed, not a run's seed, so that every command given the same
    /// table (train, simulate, server, infer) holds out the same rows.
    /// </summary>
    public const int HoldOutSeed = 0;

    /// <summary>The most classes a table may have: labels are stored as bytes.</summary>
    public const int MaxClasses = 256;

    /// <summary>
    /// Reads <paramref name="trainPath"/> and <paramref name="testPath"/> (or holds out
    /// <see cref="HoldOutFraction"/> of the training rows when it is null), both with the label
    /// column <paramref name="labelColumn"/>, and standardises them with training statistics.
    /// </summary>
    /// <exception cref="DatasetException">A table is malformed, the two tables' columns or labels do not match, or the training table is too small to split.</exception>
    public static CsvDataset Load(string trainPath, string? testPath, string labelColumn = CsvFeatures.DefaultLabelColumn)
    {
        var table = CsvFeatures.Read(trainPath, labelColumn);
        if (table.Classes > MaxClasses)
            throw DatasetException.ForFile(trainPath, $"{table.Classes} classes in column '{labelColumn}'; at most {MaxClasses} are supported");
        CsvFeatures train, test;
        if (testPath is null)
        {
            if (table.Count < 2)
                throw DatasetException.ForFile(trainPath, $"{table.Count} row; holding out a test set needs at least 2 (or give a test table)");
            (train, test) = HoldOut(table, HoldOutFraction, HoldOutSeed);
        }
        else
        {
            train = table;
            test = Matching(CsvFeatures.ReadRows(testPath, labelColumn), table, testPath, trainPath);
        }

        var width = table.FeatureNames.Count;
        var standardizer = FeatureStandardizer.Fit(train.Features, width);
        var data = new MnistDataset(Standardised(train, standardizer), Standardised(test, standardizer), table.Classes);
        return new CsvDataset(data, standardizer, table.FeatureNames, table.ClassNames);
    }

    /// <summary>
    /// Splits <paramref name="table"/> into training and test rows: a permutation drawn from
    /// <paramref name="seed"/> sends round(<paramref name="fraction"/> x rows) rows, at least one
    /// and never all, to the test part; each part keeps the file order.
    /// </summary>
    public static (CsvFeatures Train, CsvFeatures Test) HoldOut(CsvFeatures table, double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(table.Count, 2);
        var count = Math.Clamp((int)Math.Round(table.Count * fraction), 1, table.Count - 1);
        var order = Enumerable.Range(0, table.Count).ToArray();
        new Random(seed).Shuffle(order);
        var test = order[..count];
        var train = order[count..];
        Array.Sort(test);
        Array.Sort(train);
        return (Rows(table, train), Rows(table, test));
    }

    private static CsvFeatures Rows(CsvFeatures table, int[] rows)
    {
        var width = table.FeatureNames.Count;
        var features = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
            table.Features.AsSpan(rows[i] * width, width).CopyTo(features.AsSpan(i * width));
        return table with { Features = features, Labels = [.. rows.Select(r => table.Labels[r])] };
    }

    // The test table in the training table's terms: the same feature columns, and its labels as the training table's class ids.
    private static CsvFeatures Matching(CsvFeatures test, CsvFeatures train, string testPath, string trainPath)
    {
        if (test.FeatureNames.Count != train.FeatureNames.Count)
            throw DatasetException.ForFile(testPath, $"{test.FeatureNames.Count} feature columns, the training table {Path.GetFullPath(trainPath)} has {train.FeatureNames.Count}");
        if (test.FeatureNames.Zip(train.FeatureNames).FirstOrDefault(p => p.First != p.Second) is { First: { } found, Second: { } expected })
            throw DatasetException.ForFile(testPath, $"feature column '{found}' where the training table {Path.GetFullPath(trainPath)} has '{expected}'");
        var classOf = train.ClassNames.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id);
        var labels = new int[test.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var name = test.ClassNames[test.Labels[i]];
            if (!classOf.TryGetValue(name, out labels[i]))
                throw DatasetException.ForFile(testPath, $"label '{name}' does not occur in the training table {Path.GetFullPath(trainPath)}");
        }

        return test with { Labels = labels, ClassNames = train.ClassNames };
    }

    private static LabeledImages Standardised(CsvFeatures rows, FeatureStandardizer standardizer) =>
        LabeledImages.FromFeatures(rows.FeatureNames.Count, standardizer.Apply(rows.Features), rows.Labels.Select(l => (byte)l).ToArray());
}
