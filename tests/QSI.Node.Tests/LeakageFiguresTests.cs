using System.Globalization;
using QSI.Protocol.Leakage;

namespace QSI.Node.Tests;

public sealed class LeakageFiguresTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void The_map_csv_holds_the_bounds_at_every_grid_point()
    {
        using var dir = new TempDirectory();
        var run = Qsi.Run("leakage", "--map", "--gain", "1.5,2,3", "--photons", "1,2.32,10", "--transmission", "0.95", "--modes", "100", "--out", dir.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        var rows = Rows(dir.Combine("map.csv"));
        Assert.Equal(9, rows.Length);
        Assert.Equal(9, run.Json.GetProperty("points").GetInt32());
        foreach (var row in rows)
        {
            var (gain, photons) = (row["gain"], row["photons"]);
            Assert.Equal(LeakageBounds.WeightBitsPerMode(gain, photons, 100, 0.95) / 2, row["weightBitsPerWeight"], 14);
            Assert.Equal(LeakageBounds.DataBits(gain, 100), row["dataBits"], 14);
        }

        Assert.Equal(rows.Min(r => r["weightBitsPerWeight"]), run.Json.GetProperty("weightBitsPerWeightMin").GetDouble(), 14);
        Assert.Equal(rows.Max(r => r["dataBits"]), run.Json.GetProperty("dataBitsMax").GetDouble(), 14);
        // I_w grows with mu at every gain.
        foreach (var column in rows.GroupBy(r => r["gain"]))
        {
            var bits = column.OrderBy(r => r["photons"]).Select(r => r["weightBitsPerWeight"]).ToArray();
            Assert.True(bits.Zip(bits.Skip(1)).All(p => p.Second > p.First));
        }
    }

    [Fact]
    public void Every_figure_is_a_non_empty_png_and_the_json_lists_it()
    {
        using var dir = new TempDirectory();
        var map = Qsi.Run("leakage", "--map", "--gain", "1.5,2", "--photons", "1,4", "--out", dir.Path, "--json").Json;
        var panels = Qsi.Run("leakage", "--panels", "--gain", "2", "--photons", "2.32", "--out", dir.Path, "--json").Json;

        var files = map.GetProperty("files").EnumerateArray().Concat(panels.GetProperty("files").EnumerateArray()).Select(f => f.GetString()!).ToArray();
        string[] expected = ["map.csv", "weight-map.png", "data-map.png", "tradeoff.csv", "tradeoff.png", "loss.csv", "loss.png", "noise.csv", "noise.png", "layers.csv", "layers.png"];
        Assert.Equal(expected, files.Select(Path.GetFileName));
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 10_000, $"{png}: {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
    }

    [Fact]
    public void The_loss_panel_charges_lost_light_to_the_client()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Qsi.Run("leakage", "--panels", "--gain", "2", "--photons", "4", "--out", dir.Path).ExitCode);

        var loss = Rows(dir.Combine("loss.csv")).OrderBy(r => r["transmission"]).ToArray();
        Assert.Equal(0.1, loss[0]["transmission"], 12);
        Assert.Equal(1.0, loss[^1]["transmission"], 12);
        // Less light reaching the verifier, more the client may hold: I_w falls as T rises.
        Assert.True(loss.Zip(loss.Skip(1)).All(p => p.Second["weightBitsPerWeight"] < p.First["weightBitsPerWeight"]));
        // At T = 1 the point is PROTOCOL.md's reference value 0.04369 bits per weight; at 0.9, 1.24 / 2.
        Assert.Equal(0.04369, loss[^1]["weightBitsPerWeight"], 5);
        Assert.InRange(loss.Single(r => Math.Abs(r["transmission"] - 0.9) < 1e-9)["weightBitsPerWeight"], 0.6175, 0.6225);

        var noise = Rows(dir.Combine("noise.csv")).OrderBy(r => r["excess"]).ToArray();
        Assert.True(noise.Zip(noise.Skip(1)).All(p => p.Second["weightBitsPerWeight"] > p.First["weightBitsPerWeight"]));
        var layers = Rows(dir.Combine("layers.csv")).OrderBy(r => r["modes"]).ToArray();
        Assert.Equal(10, layers[0]["modes"]);
        Assert.Equal(1000, layers[^1]["modes"]);
        Assert.True(layers.Zip(layers.Skip(1)).All(p => p.Second["dataBits"] < p.First["dataBits"]));
    }

    [Fact]
    public void A_curve_gives_the_map_an_accuracy_level_at_its_signal_factor()
    {
        using var dir = new TempDirectory();
        var curve = dir.Combine("curve.csv");
        File.WriteAllText(curve,
            "photons,signalFactor,secureAccuracy,paperAccuracy,acceptRate,weightBitsPerWeight,dataBits\n" +
            "1,1,0.80,0.909,0.99,0.01,0.007\n10,10,0.90,0.978,0.99,0.09,0.007\n100,100,0.96,0.98,0.99,0.5,0.007\n");

        var json = Qsi.Run("leakage", "--map", "--gain", "2,3", "--photons", "1,10,100", "--curve", curve, "--out", dir.Path, "--json").Json;

        // Level 0.95, between F = 10 (0.90) and 100 (0.96): 5/6 of the way in log F.
        Assert.Equal(0.95, json.GetProperty("contourAccuracy").GetDouble(), 12);
        Assert.Equal(Math.Pow(10, 1 + 5.0 / 6), json.GetProperty("contourSignalFactor").GetDouble(), 9);
        Assert.Equal(JsonValueKindNull, Qsi.Run("leakage", "--map", "--gain", "2", "--photons", "1", "--out", dir.Path, "--json").Json.GetProperty("contourAccuracy").ValueKind);
    }

    [Theory]
    [InlineData("--gain", "2,x", "'x' in '2,x'")]
    [InlineData("--gain", "2,0.5", "above 1")]
    [InlineData("--photons", "1,,2", "above 0")]
    public void A_bad_list_is_one_line_naming_the_flag(string flag, string value, string expected)
    {
        var args = new Dictionary<string, string> { ["--gain"] = "2", ["--photons"] = "4" };
        args[flag] = value;
        using var dir = new TempDirectory();

        var line = Qsi.AssertUsageError(Qsi.Run(["leakage", "--map", "--out", dir.Path, .. args.SelectMany(a => new[] { a.Key, a.Value })]));

        Assert.Contains(flag, line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void Lists_without_map_and_a_broken_curve_are_one_line_errors()
    {
        using var dir = new TempDirectory();
        Assert.Contains("--map", Qsi.AssertUsageError(Qsi.Run("leakage", "--gain", "2,3", "--photons", "4", "--modes", "392")));
        Assert.Contains("--out", Qsi.AssertUsageError(Qsi.Run("leakage", "--map", "--gain", "2,3", "--photons", "4")));
        File.WriteAllText(dir.Combine("bad.csv"), "a,b\n1,2\n");
        Assert.Contains("not a curve.csv", Qsi.AssertUsageError(Qsi.Run("leakage", "--map", "--gain", "2", "--photons", "4", "--curve", dir.Combine("bad.csv"), "--out", dir.Path)));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static Dictionary<string, double>[] Rows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v: double.Parse(v, CultureInfo.InvariantCulture))).ToDictionary(p => p.h, p => p.v))];
    }
}
