using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace QSI.Federation.Tests.Samples;

/// <summary>
/// The programs of samples/ run as a user runs them, and print what their README says: the
/// library's secure inference, a strategy of one's own, an adversarial client of one's own.
/// Every sample is seeded, so its figures are exact; the assertions leave room for a change of
/// a few test images.
/// </summary>
public sealed partial class SamplesTests
{
    [Fact]
    public void Secure_inference_classifies_the_bars_as_the_digital_network_does_and_the_verifier_accepts_the_honest_client()
    {
        var output = Run("SecureInference");

        var accuracy = Percent(output, @"secure accuracy ([\d.]+) %");
        Assert.True(accuracy >= 95, output);
        Assert.True(Percent(output, @"verifier accepted ([\d.]+) %") >= 97, output);
    }

    [Fact]
    public void A_strategy_of_ones_own_trains_like_fedavg_when_all_are_honest_and_resists_the_boosted_update_fedavg_does_not()
    {
        var rows = Table(Run("CustomStrategy"));

        Assert.True(rows["fedavg"][0] >= 95 && rows["capped-mean"][0] >= 95, string.Join("; ", rows.Select(r => $"{r.Key} {string.Join(", ", r.Value)}")));
        Assert.True(rows["capped-mean"][1] >= 95, $"capped-mean under scale:20: {rows["capped-mean"][1]} %");
        Assert.True(rows["fedavg"][1] <= rows["capped-mean"][1] - 10, $"fedavg {rows["fedavg"][1]} % against capped-mean {rows["capped-mean"][1]} % under scale:20");
    }

    [Fact]
    public void An_attack_of_ones_own_drags_fedavg_down_and_the_median_holds()
    {
        var rows = Table(Run("CustomAttack"));

        Assert.True(rows["fedavg"][0] >= 95 && rows["fedmedian"][0] >= 95, string.Join("; ", rows.Select(r => $"{r.Key} {string.Join(", ", r.Value)}")));
        Assert.True(rows["fedmedian"][1] >= 95, $"fedmedian under the targeted poisoning: {rows["fedmedian"][1]} %");
        Assert.True(rows["fedavg"][1] <= rows["fedmedian"][1] - 10, $"fedavg {rows["fedavg"][1]} % against fedmedian {rows["fedmedian"][1]} %");
    }

    private static string Run(string sample)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, sample + ".dll"));
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{sample} still runs after 3 minutes");
        Assert.True(process.ExitCode == 0, $"{sample} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static double Percent(string output, string pattern)
    {
        var match = Regex.Match(output, pattern);
        Assert.True(match.Success, $"'{pattern}' not in: {output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The rows of a sample's table, the strategy's name then its percentages.</summary>
    private static Dictionary<string, double[]> Table(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(line => Row().Matches(line).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray() is var values
                ? (Name: line.Split(' ')[0], values) : default)
            .ToDictionary(r => r.Name, r => r.values);

    [GeneratedRegex(@"([\d.]+) %")]
    private static partial Regex Row();
}
