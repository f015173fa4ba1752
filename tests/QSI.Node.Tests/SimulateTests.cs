using System.Text.Json;
using QSI.Federation.Models;

namespace QSI.Node.Tests;

/// <summary>
/// <c>qsi simulate</c> on a synthetic four-class data set in the MNIST file format: the run
/// folder, the JSON summary, resuming, the plain baseline and a curious client.
/// </summary>
public sealed class SimulateTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public SimulateTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 1200, testImages: 80);

    public void Dispose() => _temp.Dispose();

    /// <summary>A small federation: three clients of 360 images, a 784-16-10 network.</summary>
    internal static string[] Small(string data, string out_, params string[] more) =>
        ["simulate", "--data", data, "--clients", "3", "--batch", "16", "--partition", "iid", "--seed", "4", "--out", out_,
            .. more.Contains("--hidden") ? Array.Empty<string>() : ["--hidden", "16"], .. more];

    [Fact]
    public void A_simulated_federation_writes_its_run_folder_and_reports_its_summary()
    {
        var folder = _temp.Combine("run");

        var run = Qsi.Run([.. Small(_data, folder, "--rounds", "3", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var summary = run.Json;
        Assert.InRange(summary.GetProperty("testAccuracy").GetDouble(), 0.6, 1);
        Assert.InRange(summary.GetProperty("secureTestAccuracy").GetDouble(), 0.5, 1);
        Assert.Equal(3, summary.GetProperty("rounds").GetInt32());
        Assert.True(summary.GetProperty("secondsPerRound").GetDouble() > 0);
        Assert.Equal(3, summary.GetProperty("clients").GetInt32());
        Assert.Empty(summary.GetProperty("flaggedClients").EnumerateArray());
        Assert.True(summary.GetProperty("maxWeightBitsPerWeight").GetDouble() > 0);
        Assert.True(summary.GetProperty("maxDataBits").GetDouble() > 0);
        Assert.False(summary.GetProperty("plain").GetBoolean());

        var csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("round,testAccuracy,testLoss,trainLoss,federatedAccuracy", csv[0]);
        Assert.StartsWith("3,", csv[3]);
        foreach (var file in new[] { "run.conf", "metrics.json", "summary.json", "report.md", "accuracy.png", "weight-leakage.png", "data-leakage.png", "excess-noise.png" })
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 0, file);
        Assert.Equal([784, 16, 10], ModelFile.Load(Path.Combine(folder, "model.qsim")).Sizes);
        Assert.Equal(["round-0002.zip", "round-0003.zip"], Directory.GetFiles(Path.Combine(folder, "checkpoints")).Select(Path.GetFileName).Order());
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var rounds = metrics.RootElement.GetProperty("rounds");
        Assert.Equal(3, rounds.GetArrayLength());
        Assert.All(rounds.EnumerateArray(), r => Assert.Equal(3, r.GetProperty("fit").GetArrayLength()));
        Assert.Equal("aggregated", rounds[0].GetProperty("fit")[0].GetProperty("status").GetString());
        Assert.Contains("# Federated training: fedavg, 3 clients, iid", File.ReadAllText(Path.Combine(folder, "report.md")));
    }

    [Fact]
    public void A_run_resumed_from_its_folder_ends_with_the_same_model_as_an_uninterrupted_one()
    {
        var straight = _temp.Combine("straight");
        var stopped = _temp.Combine("stopped");
        Assert.Equal(0, Qsi.Run([.. Small(_data, straight, "--rounds", "3", "--json")]).ExitCode);
        Assert.Equal(0, Qsi.Run([.. Small(_data, stopped, "--rounds", "1", "--json")]).ExitCode);

        var resumed = Qsi.Run("simulate", "--resume", stopped, "--rounds", "3", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(1, resumed.Json.GetProperty("resumedFrom").GetInt32());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.qsim")), File.ReadAllBytes(Path.Combine(stopped, "model.qsim")));
        static string[] WithoutSeconds(string folder) => File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Select(l => l[..l.LastIndexOf(',')]).ToArray();
        Assert.Equal(WithoutSeconds(straight), WithoutSeconds(stopped));
    }

    [Fact]
    public void The_plain_baseline_has_no_verifier_and_no_leakage()
    {
        var folder = _temp.Combine("plain");

        var run = Qsi.Run([.. Small(_data, folder, "--rounds", "2", "--plain", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(run.Json.GetProperty("plain").GetBoolean());
        Assert.Equal(JsonValueKind.Null, run.Json.GetProperty("maxWeightBitsPerWeight").ValueKind);
        Assert.InRange(run.Json.GetProperty("testAccuracy").GetDouble(), 0.6, 1);
        Assert.False(File.Exists(Path.Combine(folder, "weight-leakage.png")));
    }

    [Fact]
    public void Under_secure_aggregation_a_simulation_trains_as_with_updates_in_the_clear()
    {
        var clear = Qsi.Run([.. Small(_data, _temp.Combine("clear"), "--rounds", "2", "--json")]);
        var masked = Qsi.Run([.. Small(_data, _temp.Combine("masked"), "--rounds", "2", "--secure-aggregation", "--json")]);

        Assert.True(masked.ExitCode == 0, masked.Stderr);
        Assert.Equal(clear.Json.GetProperty("testAccuracy").GetDouble(), masked.Json.GetProperty("testAccuracy").GetDouble(), 2);
        Assert.Contains("secure-aggregation = true", File.ReadAllText(_temp.Combine("masked", "run.conf")));
        Assert.Contains("needs each one", Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("krum"), "--secure-aggregation", "--strategy", "krum")])));
        // Three clients fit each round: a threshold must be two or three of them.
        Assert.Contains("not more than half of the 3 clients", Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("t1"), "--secure-aggregation", "--secagg-threshold", "1")])));
        Assert.Contains("more than the 3 clients", Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("t4"), "--secure-aggregation", "--secagg-threshold", "4")])));
        Assert.Contains("needs secure aggregation", Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("t2"), "--secagg-threshold", "2")])));
    }

    [Fact]
    public void A_forging_client_is_flagged_every_round_and_an_extracting_one_reports_what_it_learned()
    {
        var folder = _temp.Combine("adversaries");
        var run = Qsi.Run([.. Small(_data, folder, "--rounds", "2", "--hidden", "32", "--adversary", "forge,extract", "--adversaries", "1,1", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["client-00"], run.Json.GetProperty("flaggedClients").EnumerateArray().Select(e => e.GetString()));
        // The forger's update is left out in both rounds; its claimed verdicts, its update in client-02's name and its replays are dropped.
        Assert.Equal(2, run.Json.GetProperty("excludedUpdates").GetInt32());
        Assert.True(run.Json.GetProperty("rejectedMessages").GetInt32() >= 4, run.Json.GetProperty("rejectedMessages").ToString());
        var relative = run.Json.GetProperty("relativeError").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, relative.Length);
        Assert.All(relative, e => Assert.InRange(e, 0.01, 1.0));
        var rows = File.ReadAllLines(Path.Combine(folder, "extraction.csv"));
        Assert.Equal("round,clientId,layer,relativeError,bitsPerWeight,expectedRelativeError,boundBitsPerWeight,accountBitsPerWeight", rows[0]);
        Assert.Equal(4, rows.Length - 1);
        Assert.All(rows.Skip(1), row => Assert.Equal("client-01", row.Split(',')[1]));
        Assert.Contains("adversary = \"forge,extract\"", File.ReadAllText(Path.Combine(folder, "run.conf")));
    }

    [Fact]
    public void Poisoning_clients_pass_the_verifier_and_bulyan_refuses_a_federation_too_small_for_its_f()
    {
        var run = Qsi.Run([.. Small(_data, _temp.Combine("poisoned"), "--rounds", "1", "--adversary", "signflip,labelflip", "--adversaries", "1,1", "--strategy", "fedmedian", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Empty(run.Json.GetProperty("flaggedClients").EnumerateArray());
        Assert.Equal(0, run.Json.GetProperty("excludedUpdates").GetInt32());
        Assert.Contains("bulyan needs at least 7 updates a round, and the federation waits for only 3 clients",
            Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("bulyan"), "--strategy", "bulyan", "--byzantine", "1")])));
    }

    [Fact]
    public void A_client_that_reports_nan_is_rejected_every_round_and_counted_in_the_summary_and_metrics()
    {
        var folder = _temp.Combine("nan");
        var run = Qsi.Run([.. Small(_data, folder, "--rounds", "2", "--plain", "--adversary", "nan", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Json.GetProperty("rejectedUpdates").GetInt32());
        Assert.Equal(0, run.Json.GetProperty("excludedUpdates").GetInt32());
        var csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        var column = Array.IndexOf(csv[0].Split(','), "rejectedUpdates");
        Assert.Equal(["1", "1"], csv.Skip(1).Select(row => row.Split(',')[column]));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var nan = metrics.RootElement.GetProperty("rounds")[1].GetProperty("fit").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == "client-00");
        Assert.Equal("rejected", nan.GetProperty("status").GetString());
        Assert.Contains("is NaN, not a finite number", nan.GetProperty("reason").GetString());
        Assert.InRange(run.Json.GetProperty("testAccuracy").GetDouble(), 0.5, 1);
    }

    [Fact]
    public void A_config_file_gives_defaults_that_flags_override()
    {
        var config = _temp.Combine("run.hocon");
        File.WriteAllText(config, "qsi.simulate { rounds = 2, clients = 4, strategy = fedprox }");

        var run = Qsi.Run([.. Small(_data, _temp.Combine("configured"), "--config", config, "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Json.GetProperty("rounds").GetInt32());
        Assert.Equal(3, run.Json.GetProperty("clients").GetInt32());
        Assert.Equal("fedprox", run.Json.GetProperty("strategy").GetString());
    }

    [Theory]
    [InlineData("qsi.simulate { round = 2 }", "qsi.simulate.round is not a flag of 'qsi simulate'")]
    [InlineData("qsi.simulate { rounds = 0 }", "--rounds must be a whole number of at least 1; got '0'")]
    public void A_bad_config_file_is_refused_in_one_line(string text, string message)
    {
        var config = _temp.Combine("bad.hocon");
        File.WriteAllText(config, text);

        Assert.Contains(message, Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("x"), "--config", config)])));
    }

    [Fact]
    public void Resuming_refuses_changed_flags_and_a_folder_without_a_run_and_a_new_run_refuses_a_used_folder()
    {
        var folder = _temp.Combine("used");
        Assert.Equal(0, Qsi.Run([.. Small(_data, folder, "--rounds", "1", "--json")]).ExitCode);

        Assert.Contains("--strategy cannot be given with --resume", Qsi.AssertUsageError(Qsi.Run("simulate", "--resume", folder, "--strategy", "krum")));
        Assert.Contains("holds no run", Qsi.AssertUsageError(Qsi.Run("simulate", "--resume", _temp.Combine("nothing"))));
        Assert.Contains("already holds a run; continue it with --resume", Qsi.AssertUsageError(Qsi.Run([.. Small(_data, folder, "--rounds", "1")])));
    }

    [Theory]
    [InlineData("--holdout", "1", "--holdout must be a number in [0, 1); got '1'")]
    [InlineData("--strategy", "fedbest", "--strategy must be one of fedavg, fedsgd")]
    [InlineData("--adversary", "nobody", "--adversary: adversary 'nobody' is unknown")]
    [InlineData("--adversaries", "4", "1 counts for 0 adversaries; give one count per --adversary")]
    [InlineData("--adversary", "noise:0", "--adversary: adversary 'noise:0': the parameter must be a standard deviation above 0")]
    [InlineData("--weight-accounting", "sum", "--weight-accounting must be coherent or linear")]
    [InlineData("--fraction-fit", "0", "--fraction-fit must be a number in (0, 1]")]
    [InlineData("--max-update-norm", "0", "--max-update-norm must be a finite number above 0; got '0'")]
    [InlineData("--max-update-norm", "Infinity", "--max-update-norm must be a finite number above 0; got 'Infinity'")]
    public void A_bad_flag_is_refused_in_one_line(string flag, string value, string message) =>
        Assert.Contains(message, Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("bad"), flag, value)])));

    [Fact]
    public void More_adversaries_than_clients_are_refused_in_one_line() =>
        Assert.Contains("4 adversaries are more than the 3 clients",
            Qsi.AssertUsageError(Qsi.Run([.. Small(_data, _temp.Combine("many"), "--adversary", "forge", "--adversaries", "4")])));

    [Fact]
    public void A_bad_partition_is_refused_in_one_line() =>
        Assert.Contains("--partition: 'dirichlet:-1': the Dirichlet concentration must be a positive number",
            Qsi.AssertUsageError(Qsi.Run("simulate", "--data", _data, "--partition", "dirichlet:-1")));
}
