using QSI.Node.Reports;
using QSI.Protocol.Verification;

namespace QSI.Node.Tests;

public class CalibrateCommandTests
{
    [Fact]
    public void Calibrate_writes_what_the_verifier_then_expects()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("channel", "calibration.json");
        var run = Qsi.Run("calibrate", "--transmission", "0.8", "--return-transmission", "0.75", "--channel-excess-noise", "0.05",
            "--verifier-efficiency", "0.9", "--verifier-electronic-noise", "0.05", "--frames", "200", "--seed", "4", "--out", file, "--json");
        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        foreach (var field in new[] { "transmission", "excessNoise", "electronicNoise", "frames", "standardError", "out" })
            Assert.True(json.TryGetProperty(field, out _), $"field {field}");
        Assert.Equal(file, json.GetProperty("out").GetString());
        // T at the verifier 0.8 x 0.75 = 0.6; channel noise 0.75 x 0.05; each within 4 standard errors.
        var se = json.GetProperty("standardError");
        Assert.InRange(json.GetProperty("transmission").GetDouble() - 0.6, -4 * se.GetProperty("transmission").GetDouble(), 4 * se.GetProperty("transmission").GetDouble());
        Assert.InRange(json.GetProperty("excessNoise").GetDouble() - 0.0375, -4 * se.GetProperty("excessNoise").GetDouble(), 4 * se.GetProperty("excessNoise").GetDouble());
        Assert.InRange(json.GetProperty("electronicNoise").GetDouble() - 0.05, -4 * se.GetProperty("electronicNoise").GetDouble(), 4 * se.GetProperty("electronicNoise").GetDouble());

        var expecting = CalibrationReport.Read(file).Expecting(new VerifierOptions { Gain = 2 });
        Assert.Equal(json.GetProperty("transmission").GetDouble(), expecting.Transmission, 15);
        Assert.Equal(json.GetProperty("excessNoise").GetDouble(), expecting.ChannelNoise, 15);
        Assert.Equal(0.9, expecting.Detector.Efficiency);
        Assert.Equal(json.GetProperty("electronicNoise").GetDouble(), expecting.Detector.ElectronicNoise, 15);
    }

    [Fact]
    public void A_verifier_given_a_malformed_calibration_stops_with_one_line()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("bad.json");
        File.WriteAllText(file, "{\"transmission\": 0.5}");
        var line = Qsi.AssertUsageError(Qsi.Run("verifier", "--insecure", "--calibration", file));
        Assert.Contains("'excessNoise' is missing", line);
        Assert.Contains("--frames", Qsi.AssertUsageError(Qsi.Run("calibrate", "--frames", "1", "--out", temp.Combine("x.json"))));
        Assert.Contains("--phase-noise", Qsi.AssertUsageError(Qsi.Run("infer", "--model", "m", "--photons", "4", "--gain", "2", "--phase-noise", "4")));
    }
}
