using System.Globalization;

namespace QSI.Federation.Data;

/// <summary>
/// A table of numeric features with one integer class per row, read from a CSV file whose
/// header names the columns (docs/DATA.md, "CSV data").
/// </summary>
/// <param name="FeatureNames">The header's names of the feature columns, in file order.</param>
/// <param name="Features">Row-major values: <c>Count x FeatureNames.Count</c>.</param>
/// <param name="Labels">One class id per row, 0 to <c>Classes - 1</c>.</param>
/// <param name="ClassNames">The label text of each class id, in sorted order.</param>
public sealed record CsvFeatures(IReadOnlyList<string> FeatureNames, float[] Features, int[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>The label column's default name.</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>Number of classes.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>
    /// Reads <paramref name="path"/>: a header row, then one row per sample, comma-separated, every
    /// value numeric except the label column's. Labels that are all integers are class ids as
    /// written (classes 0 to the largest); otherwise the distinct labels, sorted ordinally, are
    /// classes 0, 1, ...
    /// </summary>
    /// <exception cref="DatasetException">The file is missing, empty, ragged, non-numeric, lacks the label column or has fewer than 2 classes.</exception>
    public static CsvFeatures Read(string path, string labelColumn = DefaultLabelColumn)
    {
        var table = ReadRows(path, labelColumn);
        var distinct = table.Labels.Distinct().Count();
        if (distinct < 2)
            throw DatasetException.ForFile(path, $"{distinct} class in column '{labelColumn}'; classification needs at least 2");
        return table;
    }

    /// <summary>As <see cref="Read"/>, but one class is enough: a test table may hold rows of a single class.</summary>
    internal static CsvFeatures ReadRows(string path, string labelColumn)
    {
        if (!File.Exists(path))
            throw DatasetException.ForFile(path, "not found");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
            throw DatasetException.ForFile(path, "empty; expected a header row naming the columns");
        var columns = header.Split(',').Select(c => c.Trim()).ToArray();
        var labelIndex = Array.IndexOf(columns, labelColumn);
        if (labelIndex < 0)
            throw DatasetException.ForFile(path, $"line 1: no label column '{labelColumn}' (columns: {string.Join(", ", columns)}); name it with --label-column");

        var features = new List<float>();
        var labelText = new List<string>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Trim().Length == 0)
                continue;
            var cells = text.Split(',');
            if (cells.Length != columns.Length)
                throw DatasetException.ForFile(path, $"line {line}: {cells.Length} values, the header has {columns.Length} columns");
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = cells[c].Trim();
                if (c == labelIndex)
                {
                    labelText.Add(cell);
                    continue;
                }

                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    throw DatasetException.ForFile(path, $"line {line}: column '{columns[c]}' holds '{cell}', not a finite number");
                features.Add(value);
            }
        }

        if (labelText.Count == 0)
            throw DatasetException.ForFile(path, "empty: a header row but no data rows");
        var (labels, classNames) = ToClasses(labelText);
        var names = columns.Where((_, c) => c != labelIndex).ToArray();
        return new CsvFeatures(names, [.. features], labels, classNames);
    }

    private static (int[] Labels, IReadOnlyList<string> Names) ToClasses(List<string> text)
    {
        if (text.All(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var ids = text.Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            return (ids, [.. Enumerable.Range(0, ids.Max() + 1).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        }

        var sorted = text.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = sorted.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        return ([.. text.Select(t => index[t])], sorted);
    }
}
