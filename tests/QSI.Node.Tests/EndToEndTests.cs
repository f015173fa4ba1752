using System.Text.Json;

namespace QSI.Node.Tests;

/// <summary>
/// train, then infer, then curve, on a synthetic four-class data set in the MNIST file format:
/// the commands chain through a model file and every result field the product promises is there.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private const double Chance = 1.0 / SyntheticMnist.Classes;
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public EndToEndTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 240, testImages: 80);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_then_infer_then_curve()
    {
        var model = _temp.Combine("models", "tiny.qsim");

        var train = Qsi.Run("train", "--hidden", "32", "--epochs", "2", "--batch", "16", "--seed", "3",
            "--out", model, "--data", _data, "--json");

        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Equal("", train.Stderr);
        var trained = train.Json;
        Assert.Equal(2, trained.GetProperty("epochs").GetInt32());
        Assert.Equal(model, trained.GetProperty("out").GetString());
        Assert.Equal([784, 32, 10], trained.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(trained.GetProperty("trainLoss").GetDouble() > 0);
        Assert.True(trained.GetProperty("seconds").GetDouble() > 0);
        AssertAccuracyAboveChance(trained.GetProperty("testAccuracy"));
        Assert.True(File.Exists(model));

        var infer = Qsi.Run("infer", "--model", model, "--photons", "4", "--gain", "2", "--limit", "40",
            "--data", _data, "--json");

        Assert.True(infer.ExitCode == 0, infer.Stderr);
        var inferred = infer.Json;
        AssertAccuracyAboveChance(inferred.GetProperty("digitalAccuracy"));
        AssertAccuracyAboveChance(inferred.GetProperty("secureAccuracy"));
        Assert.Equal(40, inferred.GetProperty("images").GetInt32());
        Assert.Equal(4.0, inferred.GetProperty("signalFactor").GetDouble(), 12);
        var verifier = inferred.GetProperty("verifier");
        Assert.InRange(verifier.GetProperty("acceptRate").GetDouble(), 0, 1);
        Assert.Equal(40, verifier.GetProperty("checks").GetInt64());
        Assert.Equal(1.0, verifier.GetProperty("expectedExcessNoise").GetDouble(), 12);
        Assert.True(double.IsFinite(verifier.GetProperty("excessNoise").GetDouble()));
        Assert.InRange(verifier.GetProperty("transmission").GetDouble(), 0.5, 1.5);
        var leakage = inferred.GetProperty("leakage");
        Assert.Equal(392, leakage.GetProperty("modes").GetInt32());
        Assert.Equal(0.04369, leakage.GetProperty("weightBitsPerWeight").GetDouble(), 5);
        Assert.Equal(0.007286, leakage.GetProperty("dataBits").GetDouble(), 6);
        Assert.True(inferred.GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.True(inferred.GetProperty("digitalImagesPerSecond").GetDouble() > 0);

        var curveDirectory = _temp.Combine("out", "curve");
        var curve = Qsi.Run("curve", "--model", model, "--gain", "2", "--photons", "2.32,10", "--limit", "40",
            "--out", curveDirectory, "--data", _data, "--json");

        Assert.True(curve.ExitCode == 0, curve.Stderr);
        var curved = curve.Json;
        var points = curved.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(2, points.Length);
        Assert.Equal(2.32, points[0].GetProperty("photons").GetDouble());
        Assert.Equal(0.960, points[0].GetProperty("paperAccuracy").GetDouble());
        foreach (var point in points)
        {
            AssertAccuracyAboveChance(point.GetProperty("secureAccuracy"));
            Assert.InRange(point.GetProperty("acceptRate").GetDouble(), 0, 1);
        }

        var csv = File.ReadAllLines(curved.GetProperty("csv").GetString()!);
        Assert.Equal(Path.Combine(curveDirectory, "curve.csv"), curved.GetProperty("csv").GetString());
        Assert.Equal("photons,signalFactor,secureAccuracy,paperAccuracy,acceptRate,weightBitsPerWeight,dataBits", csv[0]);
        Assert.Equal(3, csv.Length);
        var png = File.ReadAllBytes(curved.GetProperty("png").GetString()!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Empty(Directory.GetFiles(curveDirectory, "*.tmp"));
    }

    [Fact]
    public void Human_output_reports_progress_lines_on_stderr_and_a_table_on_stdout()
    {
        var model = _temp.Combine("table.qsim");

        var train = Qsi.Run("train", "--hidden", "16", "--epochs", "1", "--out", model, "--data", _data);

        Assert.Equal(0, train.ExitCode);
        Assert.StartsWith("epoch 1/1: loss ", Assert.Single(train.ErrorLines));
        Assert.Contains("test accuracy", train.Stdout);
        Assert.Contains(model, train.Stdout);
    }

    [Fact]
    public void Paper_accuracy_is_empty_where_the_paper_has_no_point()
    {
        var model = _temp.Combine("paper.qsim");
        Assert.Equal(0, Qsi.Run("train", "--hidden", "8", "--epochs", "1", "--out", model, "--data", _data, "--json").ExitCode);

        var curve = Qsi.Run("curve", "--model", model, "--gain", "2", "--photons", "5", "--limit", "8",
            "--out", _temp.Path, "--data", _data, "--json");

        Assert.Equal(0, curve.ExitCode);
        var point = Assert.Single(curve.Json.GetProperty("points").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, point.GetProperty("paperAccuracy").ValueKind);
        var row = File.ReadAllLines(Path.Combine(_temp.Path, "curve.csv"))[1].Split(',');
        Assert.Equal("5", row[0]);
        Assert.Equal("", row[3]);
    }

    private static void AssertAccuracyAboveChance(JsonElement accuracy)
    {
        var value = accuracy.GetDouble();
        Assert.InRange(value, 0, 1);
        Assert.True(value > Chance + 0.2, $"accuracy {value} is not clearly above chance {Chance}");
    }
}
