using System.Text.Json;

namespace QSI.Node.Tests;

/// <summary><c>qsi simulate</c> behind a real channel, on a synthetic data set in the MNIST format.</summary>
public sealed class RealChannelSimulateTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public RealChannelSimulateTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 600, testImages: 40);

    public void Dispose() => _temp.Dispose();

    private static JsonElement Imperfections(string folder)
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        return metrics.RootElement.GetProperty("settings").GetProperty("channel").GetProperty("imperfections").Clone();
    }

    [Fact]
    public void A_federation_behind_a_lossy_channel_flags_no_honest_client_and_its_resumption_keeps_the_channel()
    {
        var folder = _temp.Combine("lossy");

        var run = Qsi.Run([.. SimulateTests.Small(_data, folder, "--rounds", "1", "--client-efficiency", "0.8", "--return-transmission", "0.8", "--json")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Empty(run.Json.GetProperty("flaggedClients").EnumerateArray());
        Assert.Equal(0.8, Imperfections(folder).GetProperty("clientEfficiency").GetDouble());
        Assert.Contains("return-transmission = 0.8", File.ReadAllText(Path.Combine(folder, "run.conf")));
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json"))))
            // The verifier expected the return loss: T-hat of every client near 0.8.
            Assert.All(metrics.RootElement.GetProperty("rounds")[0].GetProperty("fit").EnumerateArray(),
                c => Assert.InRange(c.GetProperty("transmission").GetDouble(), 0.7, 0.9));

        Assert.Contains("--client-efficiency cannot be given with --resume",
            Qsi.AssertUsageError(Qsi.Run("simulate", "--resume", folder, "--rounds", "2", "--client-efficiency", "0.9")));
        var resumed = Qsi.Run("simulate", "--resume", folder, "--rounds", "2", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(1, resumed.Json.GetProperty("resumedFrom").GetInt32());
        Assert.Empty(resumed.Json.GetProperty("flaggedClients").EnumerateArray());
        Assert.Equal(0.8, Imperfections(folder).GetProperty("clientEfficiency").GetDouble());
        Assert.Equal(0.8, Imperfections(folder).GetProperty("returnTransmission").GetDouble());
    }

    [Fact]
    public void The_plain_baseline_refuses_the_flags_of_a_channel_in_one_line() =>
        Assert.Contains("--plain sends the model in the clear",
            Qsi.AssertUsageError(Qsi.Run([.. SimulateTests.Small(_data, _temp.Combine("plain"), "--rounds", "1", "--plain", "--return-transmission", "0.8")])));
}
