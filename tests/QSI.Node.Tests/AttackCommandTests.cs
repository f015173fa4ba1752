using System.Globalization;
using System.Text.Json;
using QSI.Federation.Models;

namespace QSI.Node.Tests;

/// <summary>
/// <c>qsi attack</c> on a synthetic four-class data set in the MNIST file format, with small fresh
/// networks (<c>--hidden</c>): detection alone and pooled, against the prediction, what each
/// strategy learned against its bound, and the files.
/// </summary>
public sealed class AttackCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public AttackCommandTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 240, testImages: 80);

    public void Dispose() => _temp.Dispose();

    private QsiRun Attack(string strategy, params string[] more) =>
        Qsi.Run(["attack", "--strategy", strategy, "--data", _data, "--seed", "3", "--out", _temp.Combine("out", strategy.Replace(':', '-')), .. more]);

    private static JsonElement Succeeded(QsiRun run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Json;
    }

    [Fact]
    public void A_strong_tap_is_caught_in_single_frames_and_learns_less_than_its_bound()
    {
        const int frames = 1000;
        var report = Succeeded(Attack("tap:0.3", "--hidden", "16", "--frames", $"{frames}", "--json"));

        Assert.True(report.GetProperty("detectionRate").GetDouble() >= 0.99);
        Assert.Equal(1, report.GetProperty("framesToDetection").GetInt32());
        Assert.Equal(1, report.GetProperty("predictedFramesToDetection").GetInt64());
        // Honest checks flag at the set rate, within 4 binomial sd.
        var sd = Math.Sqrt(0.01 * 0.99 / frames);
        Assert.Equal(sd, report.GetProperty("falseAlarmStandardError").GetDouble(), 12);
        Assert.InRange(report.GetProperty("falseAlarmRate").GetDouble(), 0.01 - 4 * sd, 0.01 + 4 * sd);
        // The verifier sees the tap as loss: T-hat = 1 - r.
        Assert.Equal(0.7, report.GetProperty("pooledTransmission").GetDouble(), 2);
        var gained = report.GetProperty("weightBitsGained").GetDouble();
        var bound = report.GetProperty("weightBitsBound").GetDouble();
        // 1000 copies of 4 photons, 30 % heterodyned: 1/2 log2(1 + 1200) = 5.1 bits, under the bound at T-hat = 0.7.
        Assert.InRange(gained, 4.8, 5.4);
        Assert.True(gained < bound, $"gained {gained} bits per weight, bound {bound}");
        Assert.Equal(gained, -Math.Log2(report.GetProperty("relativeError").GetDouble()), 9);
    }

    [Fact]
    public void Pooled_checks_catch_over_gain_about_where_DetectionPower_predicts()
    {
        // Over-gain adds (2G' - 2)/G' - eps0 per row use: at G = 1.1 against G' = 3 that is 1.2 SNU,
        // against a per-query sd of 1.4 on a 784-784-10 network, so at a false-alarm rate of 0.2 some
        // 20 queries pooled reach 99 %; 6,000 queries give 300 pooled checks there.
        var report = Succeeded(Attack("overgain:3", "--hidden", "784", "--gain", "1.1", "--false-alarm", "0.2", "--frames", "6000", "--json"));

        var predicted = report.GetProperty("predictedFramesToDetection").GetInt64();
        var measured = report.GetProperty("framesToDetection").GetInt32();
        Assert.InRange(predicted, 10, 40);
        Assert.InRange(measured, 0.75 * predicted, 1.25 * predicted);
        Assert.True(report.GetProperty("detectionRate").GetDouble() < 0.99);
        Assert.True(report.GetProperty("weightBitsGained").GetDouble() < report.GetProperty("weightBitsBound").GetDouble());
        Assert.Equal(2, report.GetProperty("relativeErrorByLayer").GetArrayLength());
    }

    [Fact]
    public void Withheld_light_is_always_flagged_and_the_text_report_names_its_files()
    {
        var run = Attack("withhold", "--hidden", "16", "--frames", "200");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("detection rate", run.Stdout);
        Assert.Contains("100.00 %", run.Stdout);
        Assert.Contains($"wrote {_temp.Combine("out", "withhold", "roc.csv")}", run.Stdout);

        var report = Succeeded(Attack("withhold", "--hidden", "16", "--frames", "200", "--json"));
        Assert.Equal(1.0, report.GetProperty("detectionRate").GetDouble());
        Assert.Equal(1, report.GetProperty("framesToDetection").GetInt32());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("weightBitsGained").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("pooledTransmission").ValueKind);
        // Kept light: the Holevo information of 200 copies of 4 photons, g(1601) / 2 per weight.
        var photons = 200 * 4.0;
        var holevo = (photons + 1) * Math.Log2(photons + 1) - photons * Math.Log2(photons);
        Assert.Equal(holevo / 2, report.GetProperty("weightBitsBound").GetDouble(), 6);
    }

    [Fact]
    public void Extraction_error_falls_with_queries_and_its_bits_stay_under_the_bound()
    {
        var folder = _temp.Combine("out", "extract");
        var report = Succeeded(Attack("extract", "--hidden", "16", "--frames", "1000", "--json"));

        Assert.Equal(Path.Combine(folder, "extraction.csv"), report.GetProperty("extractionCsv").GetString());
        Assert.True(new FileInfo(Path.Combine(folder, "extraction.png")).Length > 0);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("predictedFramesToDetection").ValueKind);
        var lines = File.ReadAllLines(Path.Combine(folder, "extraction.csv"));
        Assert.Equal("queries,layer,relativeError,bitsPerWeight,boundBitsPerWeight,accountBitsPerWeight,expectedRelativeError", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal([100.0, 100, 300, 300, 1000, 1000], rows.Select(r => r[0]));
        foreach (var layer in new[] { 0.0, 1.0 })
        {
            var errors = rows.Where(r => r[1] == layer).Select(r => r[2]).ToArray();
            Assert.True(errors[0] > errors[1] && errors[1] > errors[2], $"layer {layer}: {string.Join(", ", errors)}");
        }
        Assert.All(rows, r => Assert.True(r[3] < r[4], $"{r[3]} bits per weight against a bound of {r[4]} after {r[0]} queries"));
        var byLayer = report.GetProperty("relativeErrorByLayer").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(rows[^2][2], byLayer[0], 12);
        Assert.Equal(rows[^1][2], byLayer[1], 12);
        Assert.Equal(byLayer[0], report.GetProperty("relativeError").GetDouble());
    }

    [Fact]
    public void The_curious_server_estimates_the_input_at_its_Cramer_Rao_bound()
    {
        var report = Succeeded(Attack("curious-server", "--hidden", "16", "--frames", "30", "--json"));

        var mse = report.GetProperty("dataMse").GetDouble();
        var bound = report.GetProperty("dataCramerRao").GetDouble();
        var relative = report.GetProperty("dataMseStandardError").GetDouble() / mse;
        Assert.InRange(relative, 0, 0.05);
        Assert.True(mse >= bound * (1 - 3 * relative), $"MSE {mse} below the Cramér-Rao bound {bound} by more than 3 standard errors");
        Assert.InRange(report.GetProperty("dataMseRatio").GetDouble(), 1 - 4 * relative, 1 + 4 * relative);
        Assert.InRange(report.GetProperty("dataRandomOverlap").GetDouble(), 0.01, 0.1);
        Assert.InRange(report.GetProperty("dataDirectionOverlap").GetDouble(), 0, 1);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("predictedFramesToDetection").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("weightBitsBound").ValueKind);
    }

    [Fact]
    public void Every_field_is_reported_and_the_roc_is_written()
    {
        var report = Succeeded(Attack("partial:0.5", "--hidden", "16", "--frames", "300", "--json"));

        string[] fields =
        [
            "strategy", "frames", "photons", "gain", "transmission", "falseAlarm", "detectionRate", "falseAlarmRate", "falseAlarmStandardError",
            "framesToDetection", "predictedFramesToDetection", "largestMeasurablePooling", "pooledTransmission", "pooledExcessNoise",
            "weightBitsGained", "weightBitsBound", "relativeError", "relativeErrorByLayer", "dataMse", "dataMseStandardError",
            "dataCramerRao", "dataMseRatio", "dataDirectionOverlap", "dataRandomOverlap", "modes", "modesByLayer", "sizes", "seed", "model", "out",
            "rocCsv", "rocPng", "extractionCsv", "extractionPng", "seconds",
        ];
        Assert.Equal(fields, report.EnumerateObject().Select(p => p.Name));
        Assert.Equal("partial:0.5", report.GetProperty("strategy").GetString());
        Assert.Equal([784, 16, 10], report.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(392, report.GetProperty("modes").GetInt32());
        Assert.Equal([392, 8], report.GetProperty("modesByLayer").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(4, report.GetProperty("photons").GetDouble());

        var roc = File.ReadAllLines(report.GetProperty("rocCsv").GetString()!);
        Assert.Equal("falseAlarm,detection,honestFlagged,pooledFrames,pooledDetection", roc[0]);
        var rates = roc.Skip(1).Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(40, rates.Length);
        Assert.Equal(1e-5, rates[0], 12);
        Assert.Equal(0.5, rates[^1], 12);
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.First < p.Second));
        Assert.True(new FileInfo(report.GetProperty("rocPng").GetString()!).Length > 0);
    }

    [Theory]
    [InlineData("nobody", "no strategy is called \"nobody\"")]
    [InlineData("tap:2", "out of range")]
    [InlineData("extract:1", "extract takes no parameter")]
    public void A_bad_strategy_is_one_line_listing_the_strategies(string strategy, string problem)
    {
        var line = Qsi.AssertUsageError(Qsi.Run("attack", "--strategy", strategy, "--data", _data));

        Assert.Contains(problem, line);
        Assert.Contains("tap-reamplify:r", line);
        Assert.Contains("curious-server", line);
    }

    [Fact]
    public void Bad_frames_a_model_of_other_inputs_and_missing_data_are_one_line_errors()
    {
        Assert.Contains("--frames must be a whole number of at least 1; got '0'",
            Qsi.AssertUsageError(Qsi.Run("attack", "--strategy", "withhold", "--frames", "0", "--data", _data)));

        var model = _temp.Combine("small.qsim");
        ModelFile.Save(Mlp.Create([100, 8, 10], bias: false, new Random(1)), model);
        Assert.Contains("takes 100 inputs, but MNIST images have 784 pixels",
            Qsi.AssertUsageError(Qsi.Run("attack", "--strategy", "withhold", "--model", model, "--data", _data, "--out", _temp.Combine("m"))));

        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("not found", Qsi.AssertUsageError(Qsi.Run("attack", "--strategy", "withhold", "--data", empty, "--out", _temp.Combine("e"))));
    }
}
