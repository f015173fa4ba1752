using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class CsvFeaturesTests
{
    private static string Write(TempDirectory dir, string text)
    {
        var path = dir.File("data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_features_in_file_order_and_the_label_column_anywhere()
    {
        using var dir = new TempDirectory();
        var data = CsvFeatures.Read(Write(dir, "a,label,b\n1.5,0,-2\n3,2,4e1\n"));
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([1.5f, -2f, 3f, 40f], data.Features);
        Assert.Equal([0, 2], data.Labels);
        Assert.Equal(3, data.Classes);
    }

    [Fact]
    public void String_labels_become_classes_in_sorted_order()
    {
        using var dir = new TempDirectory();
        var data = CsvFeatures.Read(Write(dir, "x,species\n1,versicolor\n2,setosa\n3,versicolor\n"), "species");
        Assert.Equal(["setosa", "versicolor"], data.ClassNames);
        Assert.Equal([1, 0, 1], data.Labels);
    }

    [Theory]
    [InlineData("a,label\n1,0\n2\n", "line 3: 1 values, the header has 2 columns")]
    [InlineData("a,label\n1,0\nx,1\n", "line 3: column 'a' holds 'x', not a finite number")]
    [InlineData("a,class\n1,0\n", "line 1: no label column 'label'")]
    [InlineData("", "empty; expected a header row")]
    [InlineData("a,label\n", "empty: a header row but no data rows")]
    [InlineData("a,label\n1,3\n2,3\n", "1 class in column 'label'")]
    public void A_malformed_file_is_one_line_naming_file_and_problem(string text, string problem)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, text);
        var error = Assert.Throws<DatasetException>(() => CsvFeatures.Read(path));
        Assert.Contains($"dataset file {path}: {problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Standardisation_is_fitted_on_training_rows_only()
    {
        float[] train = [1, 5, 3, 5, 5, 5];
        var fitted = FeatureStandardizer.Fit(train, 2);
        Assert.Equal([3.0, 5.0], fitted.Mean);
        Assert.Equal(Math.Sqrt(8.0 / 3), fitted.Std[0], 12);
        Assert.Equal(1.0, fitted.Std[1]); // a constant feature keeps its scale
        var standardised = fitted.Apply(train);
        Assert.Equal(0f, standardised[2 * 1], 6);
        Assert.Equal(0f, standardised[1]);

        // The test rows are only transformed: any change to them leaves the fit as it was.
        float[] testA = [100, -7], testB = [-3, 1e6f];
        Assert.Equal((float)((100 - 3) / Math.Sqrt(8.0 / 3)), fitted.Apply(testA)[0], 4);
        Assert.Equal(1e6f - 5, fitted.Apply(testB)[1], 0);
    }
}
