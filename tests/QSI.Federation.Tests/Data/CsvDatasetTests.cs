using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class CsvDatasetTests
{
    private static string Write(TempDirectory dir, string name, string text)
    {
        var path = dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    // Ten rows, two features, two classes; f0 of row r is r, f1 is 10 r.
    private static string Table(Func<int, string>? f0 = null) =>
        "f0,f1,label\n" + string.Concat(Enumerable.Range(0, 10).Select(r => $"{f0?.Invoke(r) ?? r.ToString()},{10 * r},{r % 2}\n"));

    [Fact]
    public void A_test_table_with_an_extreme_value_leaves_the_fitted_statistics_as_the_training_rows_give_them()
    {
        using var dir = new TempDirectory();
        var train = Write(dir, "train.csv", Table());
        var calm = CsvDataset.Load(train, Write(dir, "calm.csv", "f0,f1,label\n1,2,0\n"));
        var extreme = CsvDataset.Load(train, Write(dir, "extreme.csv", "f0,f1,label\n1e6,2,0\n"));

        Assert.Equal([4.5, 45.0], extreme.Standardizer.Mean);
        Assert.Equal(calm.Standardizer.Mean, extreme.Standardizer.Mean);
        Assert.Equal(calm.Standardizer.Std, extreme.Standardizer.Std);
        // The test row is standardised with the training statistics: (1e6 - 4.5) / std(0..9).
        Assert.Equal((1e6 - 4.5) / Math.Sqrt(8.25), extreme.Data.Test.Features.Span[0], 0.5);
    }

    [Fact]
    public void A_held_out_row_with_an_extreme_value_does_not_shape_the_training_statistics()
    {
        using var dir = new TempDirectory();
        var plain = CsvDataset.Load(Write(dir, "plain.csv", Table()), null);
        var (_, heldOut) = CsvDataset.HoldOut(CsvFeatures.Read(dir.File("plain.csv")), CsvDataset.HoldOutFraction, CsvDataset.HoldOutSeed);
        // f0 of row r is r, so the held-out rows' f0 values are their row numbers.
        var heldOutRows = heldOut.Features.Where((_, i) => i % 2 == 0).Select(v => (int)v).ToArray();
        var heldOutRow = heldOutRows[0];
        var spiked = CsvDataset.Load(Write(dir, "spiked.csv", Table(r => r == heldOutRow ? "1e6" : r.ToString())), null);

        Assert.Equal(2, plain.Data.Test.Count); // 20 % of 10 rows
        Assert.Equal(8, plain.Data.Train.Count);
        Assert.Equal(plain.Standardizer.Mean, spiked.Standardizer.Mean);
        Assert.Equal(plain.Standardizer.Std, spiked.Standardizer.Std);
        var trainMean = Enumerable.Range(0, 10).Except(heldOutRows).Average();
        Assert.Equal(trainMean, plain.Standardizer.Mean[0], 12);
    }

    [Fact]
    public void The_training_rows_are_standardised_to_mean_0_and_deviation_1()
    {
        using var dir = new TempDirectory();
        var data = CsvDataset.Load(Write(dir, "t.csv", Table()), null).Data;
        var f0 = data.Train.NormalizedInputs().Where((_, i) => i % 2 == 0).ToArray();

        Assert.Equal(0, f0.Average(), 6);
        Assert.Equal(1, Math.Sqrt(f0.Average(v => v * v)), 5);
        Assert.Equal(2, data.Train.PixelsPerImage);
        Assert.Equal(2, data.Classes);
    }

    [Fact]
    public void The_hold_out_is_the_same_rows_on_every_load()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "t.csv", Table());

        Assert.Equal(CsvDataset.Load(path, null).Data.Test.NormalizedInputs(), CsvDataset.Load(path, null).Data.Test.NormalizedInputs());
    }

    [Fact]
    public void Test_labels_take_the_training_tables_class_ids()
    {
        using var dir = new TempDirectory();
        var train = Write(dir, "train.csv", "x,kind\n1,ant\n2,bee\n3,cat\n");
        var data = CsvDataset.Load(train, Write(dir, "test.csv", "x,kind\n1,cat\n2,ant\n"), "kind");

        Assert.Equal(["ant", "bee", "cat"], data.ClassNames);
        Assert.Equal(new byte[] { 2, 0 }, data.Data.Test.Labels.ToArray());
        Assert.Equal(3, data.Data.Classes);
    }

    [Theory]
    [InlineData("a,b,c,label\n1,2,3,0\n", "3 feature columns, the training table")]
    [InlineData("a,z,label\n1,2,0\n", "feature column 'z' where the training table")]
    [InlineData("a,b,label\n1,2,7\n", "label '7' does not occur in the training table")]
    public void A_test_table_that_does_not_match_the_training_table_is_one_line(string test, string problem)
    {
        using var dir = new TempDirectory();
        var train = Write(dir, "train.csv", "a,b,label\n1,2,0\n3,4,1\n");
        var testPath = Write(dir, "test.csv", test);

        var error = Assert.Throws<DatasetException>(() => CsvDataset.Load(train, testPath));
        Assert.Contains($"dataset file {testPath}: {problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_feature_set_keeps_its_values_through_take_and_subset()
    {
        var set = LabeledImages.FromFeatures(2, new float[] { 1, 2, 3, 4, 5, 6 }, new byte[] { 0, 1, 0 });
        var subset = set.Subset([2, 0]);

        Assert.True(subset.HoldsFeatures);
        Assert.Equal([5f, 6f, 1f, 2f], subset.NormalizedInputs());
        Assert.Equal(new byte[] { 0, 0 }, subset.Labels.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], set.Take(2).NormalizedInputs());
        var row = new float[2];
        set.CopyNormalizedInput(1, row);
        Assert.Equal([3f, 4f], row);
        Assert.Throws<ArgumentException>(() => LabeledImages.FromFeatures(2, new float[5], new byte[3]));
    }
}
