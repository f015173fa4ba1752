using System.Globalization;
using QSI.Federation.Privacy;

namespace QSI.Node.Tests;

/// <summary><c>qsi simulate</c> with differential privacy: epsilon in the summary and metrics, the budget stop, the flags' mistakes.</summary>
public sealed class PrivacyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public PrivacyTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 600, testImages: 40);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_target_epsilon_stops_a_run_before_the_round_that_would_pass_it_and_says_so()
    {
        // Three clients, all sampled (q = 1), z = 2: a target between epsilon after two rounds and after three allows two.
        var accountant = new RenyiAccountant();
        accountant.Compose(1, 2, steps: 2);
        var target = (accountant.Spent(1e-5).Epsilon + accountant.EpsilonAfter(1, 2, 1e-5)) / 2;
        var folder = _temp.Combine("run");

        var run = Qsi.Run([.. SimulateTests.Small(_data, folder, "--plain", "--rounds", "10", "--dp-clip", "0.5", "--dp-noise", "2",
            "--target-epsilon", target.ToString("R", CultureInfo.InvariantCulture), "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Json.GetProperty("rounds").GetInt32());
        Assert.Equal(accountant.Spent(1e-5).Epsilon, run.Json.GetProperty("epsilon").GetDouble(), 1e-9);
        Assert.Equal(1e-5, run.Json.GetProperty("delta").GetDouble());
        var line = Assert.Single(run.ErrorLines, l => l.Contains("epsilon"));
        Assert.StartsWith("qsi: stopped before round 3: it would take epsilon from ", line);
        var csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        var column = Array.IndexOf(csv[0].Split(','), "epsilon");
        Assert.True(column >= 0, csv[0]);
        Assert.True(double.Parse(csv[1].Split(',')[column], CultureInfo.InvariantCulture) < double.Parse(csv[2].Split(',')[column], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Distributed_noise_under_secure_aggregation_trains_and_reports_its_epsilon()
    {
        var run = Qsi.Run([.. SimulateTests.Small(_data, _temp.Combine("secure"), "--plain", "--rounds", "2", "--secure-aggregation",
            "--dp-clip", "1", "--dp-noise", "0.5", "--dp-mode", "distributed", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Json.GetProperty("rounds").GetInt32());
        var accountant = new RenyiAccountant();
        accountant.Compose(1, 0.5, steps: 2);
        Assert.Equal(accountant.Spent(1e-5).Epsilon, run.Json.GetProperty("epsilon").GetDouble(), 1e-9);
    }

    [Fact]
    public void A_private_run_resumed_from_its_folder_ends_with_the_model_and_epsilon_of_an_uninterrupted_one()
    {
        string[] privacy = ["--plain", "--dp-clip", "0.5", "--dp-noise", "1.5", "--dp-adaptive", "--dp-count-noise", "2", "--fraction-fit", "0.5"];
        var straight = _temp.Combine("straight");
        var stopped = _temp.Combine("stopped");
        var whole = Qsi.Run([.. SimulateTests.Small(_data, straight, [.. privacy, "--rounds", "3", "--json"])]);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        Assert.Equal(0, Qsi.Run([.. SimulateTests.Small(_data, stopped, [.. privacy, "--rounds", "1", "--json"])]).ExitCode);

        var resumed = Qsi.Run("simulate", "--resume", stopped, "--rounds", "3", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(whole.Json.GetProperty("epsilon").GetDouble(), resumed.Json.GetProperty("epsilon").GetDouble());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.qsim")), File.ReadAllBytes(Path.Combine(stopped, "model.qsim")));
    }

    [Theory]
    [InlineData("qsi: error: --dp-noise is a setting of differential privacy; turn it on with --dp-clip C", "--dp-noise", "1")]
    [InlineData("qsi: error: --target-epsilon is a setting of differential privacy; turn it on with --dp-clip C", "--target-epsilon", "3")]
    [InlineData("qsi: error: --dp-target-quantile sets the adaptive clipping norm; add --dp-adaptive", "--dp-clip", "1", "--dp-target-quantile", "0.7")]
    [InlineData("qsi: error: central differential privacy clips each update, and secure aggregation shows the server only their sum; use distributed privacy with it",
        "--dp-clip", "1", "--secure-aggregation")]
    public void Privacy_flags_that_do_not_go_together_are_one_line_errors(string expected, params string[] flags)
    {
        var line = Qsi.AssertUsageError(Qsi.Run([.. SimulateTests.Small(_data, _temp.Combine("bad"), ["--plain", .. flags])]));
        Assert.Equal(expected, line);
    }
}
