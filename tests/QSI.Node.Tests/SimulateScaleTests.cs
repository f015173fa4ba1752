using System.Text.Json;

namespace QSI.Node.Tests;

/// <summary>
/// <c>qsi simulate</c> with many small clients in one process: every client an actor with its own
/// shard and its own accounts, the run's memory estimated before it starts.
/// </summary>
public sealed class SimulateScaleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public SimulateScaleTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 1500, testImages: 80);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Three_hundred_clients_of_four_images_each_train_with_every_clients_accounts_its_own()
    {
        var folder = _temp.Combine("many");

        // 1,200 of the images among 300 clients: 4 each (one held out), the Dirichlet draw topped up to that minimum.
        var run = Qsi.Run("simulate", "--data", _data, "--limit", "1200", "--clients", "300", "--fraction-fit", "0.2", "--fraction-evaluate", "0.1",
            "--holdout", "0.25", "--hidden", "16", "--batch", "4", "--rounds", "2", "--seed", "3", "--out", folder, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var summary = run.Json;
        Assert.Equal(2, summary.GetProperty("rounds").GetInt32());
        Assert.Equal(300, summary.GetProperty("clients").GetInt32());
        Assert.Empty(summary.GetProperty("flaggedClients").EnumerateArray());
        Assert.Empty(summary.GetProperty("stragglers").EnumerateArray());
        Assert.True(summary.GetProperty("estimatedMemoryBytes").GetInt64() > 0);
        Assert.Contains(run.ErrorLines, l => l.StartsWith("qsi: estimated peak memory ", StringComparison.Ordinal));

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var rounds = metrics.RootElement.GetProperty("rounds").EnumerateArray().ToArray();
        var weightBits = new Dictionary<string, double>();
        foreach (var round in rounds)
        {
            var fit = round.GetProperty("fit").EnumerateArray().ToArray();
            Assert.Equal(60, fit.Length);
            Assert.Equal(30, round.GetProperty("evaluate").GetArrayLength());
            Assert.True(round.GetProperty("modelUpdated").GetBoolean());
            foreach (var outcome in fit)
            {
                Assert.Equal("aggregated", outcome.GetProperty("status").GetString());
                // Each client's own light was checked (a verdict of its own; a few uses make it a noisy one) and charged.
                Assert.True(double.IsFinite(outcome.GetProperty("excessNoise").GetDouble()));
                Assert.True(double.IsFinite(outcome.GetProperty("transmission").GetDouble()));
                Assert.True(outcome.GetProperty("dataBits").GetDouble() > 0);
                var id = outcome.GetProperty("clientId").GetString()!;
                var bits = outcome.GetProperty("weightBitsPerWeight").GetDouble();
                // An account only grows, and only with the client's own frames.
                if (weightBits.TryGetValue(id, out var before)) Assert.True(bits > before, $"{id}: {bits} after {before}");
                weightBits[id] = bits;
            }
        }
        // After its first task, round 1's fit, a client holds the bits of its own frames only: the same for every client of its sample count.
        var once = rounds[0].GetProperty("fit").EnumerateArray().ToArray();
        foreach (var bySamples in once.GroupBy(o => o.GetProperty("samples").GetInt32()))
        {
            var values = bySamples.Select(o => o.GetProperty("weightBitsPerWeight").GetDouble()).ToArray();
            Assert.All(values, v => Assert.Equal(values[0], v, 9));
        }
    }

    [Fact]
    public void A_run_that_would_not_fit_in_memory_is_refused_before_it_starts()
    {
        var folder = _temp.Combine("too-big");

        var line = Qsi.AssertUsageError(Qsi.Run("simulate", "--data", _data, "--clients", "3", "--hidden", "16", "--rounds", "1",
            "--max-memory", "64M", "--out", folder, "--json"));

        Assert.Contains("the run needs about", line);
        Assert.Contains("0.06 GiB is --max-memory", line);
        Assert.Contains("--clients", line);
        Assert.False(File.Exists(Path.Combine(folder, "metrics.json")));
    }

    [Fact]
    public void A_size_that_is_not_one_is_a_usage_error() =>
        Assert.Contains("--max-memory", Qsi.AssertUsageError(Qsi.Run("simulate", "--data", _data, "--clients", "3", "--max-memory", "lots")));
}
