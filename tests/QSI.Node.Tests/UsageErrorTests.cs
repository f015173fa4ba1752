namespace QSI.Node.Tests;

public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--gain", "0.5", "above 1")]
    [InlineData("--gain", "1", "above 1")]
    [InlineData("--photons", "-1", "above 0")]
    [InlineData("--photons", "abc", "above 0")]
    [InlineData("--modes", "0", "at least 1")]
    [InlineData("--transmission", "1.5", "(0, 1]")]
    public void A_value_out_of_range_is_one_line_naming_the_flag(string flag, string value, string rule)
    {
        var args = new Dictionary<string, string> { ["--gain"] = "2", ["--photons"] = "4", ["--modes"] = "392" };
        args[flag] = value;

        var line = Qsi.AssertUsageError(Qsi.Run(["leakage", .. args.SelectMany(a => new[] { a.Key, a.Value })]));

        Assert.Contains(flag, line);
        Assert.Contains(rule, line);
        Assert.Contains(value, line);
    }

    [Theory]
    [InlineData("server", "--wait-timeout", "configures a federated training; add --train")]
    [InlineData("client", "--rejoin-timeout", "configures a client of a federated training; add --train")]
    public void A_fault_timeout_without_train_is_a_usage_error(string command, string flag, string message)
    {
        var line = Qsi.AssertUsageError(Qsi.Run(command, flag, "5"));

        Assert.Contains($"{flag} {message}", line);
    }

    [Theory]
    [InlineData("server", "--wait-timeout", "0")]
    [InlineData("client", "--rejoin-timeout", "0")]
    public void A_fault_timeout_must_be_positive(string command, string flag, string value)
    {
        Assert.Contains(flag, Qsi.AssertUsageError(Qsi.Run(command, "--train", flag, value)));
    }

    [Fact]
    public void A_missing_required_flag_is_a_usage_error()
    {
        var line = Qsi.AssertUsageError(Qsi.Run("leakage", "--gain", "2", "--photons", "4"));

        Assert.Contains("--modes", line);
        Assert.Contains("qsi leakage --help", line);
    }

    [Fact]
    public void An_unknown_flag_or_command_is_a_usage_error()
    {
        Assert.Contains("--foo", Qsi.AssertUsageError(Qsi.Run("leakage", "--gain", "2", "--photons", "4", "--modes", "3", "--foo")));
        Qsi.AssertUsageError(Qsi.Run("leak"));
        Qsi.AssertUsageError(Qsi.Run());
    }

    [Fact]
    public void A_bad_entry_in_a_list_is_named()
    {
        var line = Qsi.AssertUsageError(Qsi.Run("curve", "--model", "m.qsim", "--gain", "2", "--photons", "1,-2,3", "--out", "x"));

        Assert.Contains("--photons", line);
        Assert.Contains("'-2'", line);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("no-such-model.qsim");

        var line = Qsi.AssertUsageError(Qsi.Run("infer", "--model", model, "--photons", "4", "--gain", "2", "--data", temp.Path));

        Assert.Contains(model, line);
        Assert.Contains("not found", line);
    }

    [Fact]
    public void A_data_directory_without_the_files_names_the_missing_file()
    {
        using var temp = new TempDirectory();

        var line = Qsi.AssertUsageError(Qsi.Run(
            "train", "--hidden", "8", "--epochs", "1", "--out", temp.Combine("m.qsim"), "--data", temp.Path));

        Assert.Contains(Path.Combine(temp.Path, "train-images-idx3-ubyte"), line);
        Assert.Contains("not found", line);
        Assert.False(File.Exists(temp.Combine("m.qsim")));
    }

    [Fact]
    public void Data_and_cache_together_are_refused()
    {
        using var temp = new TempDirectory();

        var line = Qsi.AssertUsageError(Qsi.Run(
            "train", "--hidden", "8", "--epochs", "1", "--out", temp.Combine("m.qsim"), "--data", temp.Path, "--cache", temp.Path));

        Assert.Contains("--cache", line);
    }

    // A regular file where a directory should be fails for every user, root included.
    [Fact]
    public void An_unwritable_out_path_fails_before_any_work()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("file");
        File.WriteAllText(file, "");

        var train = Qsi.AssertUsageError(Qsi.Run(
            "train", "--hidden", "8", "--epochs", "1", "--out", Path.Combine(file, "m.qsim"), "--data", temp.Path));
        var curve = Qsi.AssertUsageError(Qsi.Run(
            "curve", "--model", temp.Combine("m.qsim"), "--gain", "2", "--photons", "1", "--out", file, "--data", temp.Path));

        Assert.Contains("--out", train);
        Assert.Contains("--out", curve);
        Assert.Contains("is a file", curve);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_and_exit_1()
    {
        using var stderr = new StringWriter();

        var code = Failure.Report(Terminal.ForWriters(TextWriter.Null, stderr), new InvalidOperationException("two\nlines"));

        Assert.Equal(1, code);
        Assert.Equal("qsi: error: unexpected InvalidOperationException: two lines", stderr.ToString().TrimEnd());
    }
}
