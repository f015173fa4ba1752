namespace QSI.Node.Tests;

/// <summary>
/// <c>--data-format csv</c> end to end on samples/data/blobs.csv: 300 rows of 8 numeric features
/// in 3 well-separated classes, 60 of them held out as the test set.
/// </summary>
public sealed class CsvDataTests
{
    private static readonly string Blobs = Path.Combine(AppContext.BaseDirectory, "data", "blobs.csv");

    private static string[] Train(string model) =>
        ["train", "--data-format", "csv", "--data", Blobs, "--hidden", "16", "--epochs", "5", "--batch", "16", "--lr", "0.01", "--lr-decay", "1",
            "--seed", "0", "--out", model, "--json"];

    [Fact]
    public void Train_on_the_blobs_table_learns_an_8_input_3_class_network_above_95_percent()
    {
        using var dir = new TempDirectory();
        var model = dir.Combine("blobs.qsim");
        var train = Qsi.Run(Train(model));

        Assert.True(train.ExitCode == 0, train.Stderr);
        var json = train.Json;
        Assert.Equal([8, 16, 3], json.GetProperty("sizes").EnumerateArray().Select(s => s.GetInt32()));
        // Measured: 1.00 (60 of 60 held-out rows) with these flags and seed.
        Assert.True(json.GetProperty("testAccuracy").GetDouble() >= 0.95, train.Stdout);

        // infer, given the same table, sees the same held-out rows with the same training statistics.
        var infer = Qsi.Run("infer", "--model", model, "--data-format", "csv", "--data", Blobs, "--photons", "10", "--gain", "2", "--json");
        Assert.True(infer.ExitCode == 0, infer.Stderr);
        Assert.Equal(json.GetProperty("testAccuracy").GetDouble(), infer.Json.GetProperty("digitalAccuracy").GetDouble());
    }

    [Fact]
    public void A_separate_test_table_is_the_test_set()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadAllLines(Blobs);
        var rows = lines[1..11];
        var test = dir.Combine("test.csv");
        var rotated = dir.Combine("rotated.csv");
        File.WriteAllLines(test, [lines[0], .. rows]);
        // The same rows with every label moved to the next class: a model that learnt the table gets them all wrong.
        File.WriteAllLines(rotated, [lines[0], .. rows.Select(r => r[..(r.LastIndexOf(',') + 1)] + ((int.Parse(r[(r.LastIndexOf(',') + 1)..]) + 1) % 3))]);

        var right = Qsi.Run([.. Train(dir.Combine("a.qsim")), "--test-data", test]);
        var wrong = Qsi.Run([.. Train(dir.Combine("b.qsim")), "--test-data", rotated]);

        Assert.True(right.ExitCode == 0, right.Stderr);
        Assert.True(wrong.ExitCode == 0, wrong.Stderr);
        // Measured: 1.0 and 0.0 on the 10 rows.
        Assert.Equal(1.0, right.Json.GetProperty("testAccuracy").GetDouble());
        Assert.Equal(0.0, wrong.Json.GetProperty("testAccuracy").GetDouble());
    }

    [Fact]
    public void Simulate_federates_the_blobs_table_among_three_clients()
    {
        using var dir = new TempDirectory();
        var run = Qsi.Run("simulate", "--data-format", "csv", "--data", Blobs, "--clients", "3", "--hidden", "16", "--rounds", "5", "--partition", "iid",
            "--plain", "--seed", "0", "--out", dir.Combine("run"), "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        // Measured: 1.00 on the 60 held-out rows.
        Assert.True(run.Json.GetProperty("testAccuracy").GetDouble() >= 0.95, run.Stdout);
        Assert.Contains("data-format = \"csv\"", File.ReadAllText(dir.Combine("run", "run.conf")));
    }

    [Theory]
    [InlineData("f0,f1,label\n1,2,0\n3,4,1\n", new[] { "--label-column", "class" }, "line 1: no label column 'class' (columns: f0, f1, label); name it with --label-column")]
    [InlineData("f0,f1,label\n1,2,0\n3,1\n", new string[0], "line 3: 2 values, the header has 3 columns")]
    [InlineData("f0,f1,label\n1,2,0\n3,high,1\n", new string[0], "line 3: column 'f1' holds 'high', not a finite number")]
    public void A_malformed_table_is_a_one_line_usage_error(string table, string[] flags, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.csv");
        File.WriteAllText(path, table);

        var line = Qsi.AssertUsageError(Qsi.Run(["train", "--data-format", "csv", "--data", path, "--hidden", "4", "--epochs", "1", "--out", dir.Combine("m.qsim"), .. flags]));
        Assert.Contains($"dataset file {path}: {problem}", line);
    }

    [Fact]
    public void A_test_table_with_another_feature_count_is_a_one_line_usage_error()
    {
        using var dir = new TempDirectory();
        var test = dir.Combine("test.csv");
        File.WriteAllText(test, "f0,f1,label\n1,2,0\n");

        var line = Qsi.AssertUsageError(Qsi.Run([.. Train(dir.Combine("m.qsim")), "--test-data", test]));
        Assert.Contains($"dataset file {test}: 2 feature columns, the training table {Blobs} has 8", line);
    }

    [Fact]
    public void Infer_refuses_a_model_whose_input_width_is_not_the_tables_feature_count()
    {
        using var dir = new TempDirectory();
        var model = dir.Combine("m.qsim");
        Assert.Equal(0, Qsi.Run(Train(model)).ExitCode);
        var narrow = dir.Combine("narrow.csv");
        File.WriteAllText(narrow, "f0,f1,label\n1,2,0\n3,4,1\n5,6,2\n");

        var line = Qsi.AssertUsageError(Qsi.Run("infer", "--model", model, "--data-format", "csv", "--data", narrow, "--photons", "10", "--gain", "2"));
        Assert.Contains("takes 8 inputs, but the table's rows have 2 features", line);
    }

    [Theory]
    [InlineData("--label-column", "label")]
    [InlineData("--test-data", "t.csv")]
    public void A_csv_flag_with_the_idx_format_is_a_one_line_usage_error(string flag, string value)
    {
        using var dir = new TempDirectory();
        var line = Qsi.AssertUsageError(Qsi.Run("train", "--hidden", "4", "--epochs", "1", "--out", dir.Combine("m.qsim"), flag, value));

        Assert.Contains($"{flag} is for --data-format csv", line);
    }

    [Fact]
    public void A_csv_file_without_the_csv_format_is_a_one_line_usage_error()
    {
        using var dir = new TempDirectory();
        var line = Qsi.AssertUsageError(Qsi.Run("train", "--hidden", "4", "--epochs", "1", "--out", dir.Combine("m.qsim"), "--data", Blobs));

        Assert.Contains("needs --data-format csv", line);
    }
}
