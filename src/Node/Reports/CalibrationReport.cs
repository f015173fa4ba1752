using System.Text.Json;
using QSI.Protocol.Verification;

namespace QSI.Node.Reports;

/// <summary>
/// The result of <c>qsi calibrate</c>, and the file <c>qsi verifier --calibration</c> reads: what the verifier
/// expects of its channel (docs/CONVENTIONS.md, "A real channel").
/// </summary>
/// <param name="Transmission">T at the verifier's input (the channel's, its phase-noise factor and the return loss), corrected for the verifier's detector.</param>
/// <param name="ExcessNoise">Channel noise per quadrature of every mode at the verifier's input, SNU.</param>
/// <param name="ElectronicNoise">The verifier's electronic noise per heterodyne outcome, SNU.</param>
/// <param name="Frames">Honest frames measured (and as many dark frames).</param>
/// <param name="StandardError">Standard errors of the estimates.</param>
/// <param name="Out">The file written.</param>
/// <param name="ReturnTransmission">Transmission of the return path, from the device's excess as it arrives.</param>
/// <param name="Efficiency">The verifier's detector efficiency, trusted (given, not estimated).</param>
/// <param name="Gain">Gain G of the honest devices calibrated against.</param>
/// <param name="Photons">Mean photon number per mode of the calibration frames.</param>
/// <param name="Seed">Seed of the calibration's noise.</param>
internal sealed record CalibrationReport(
    double Transmission,
    double ExcessNoise,
    double ElectronicNoise,
    int Frames,
    CalibrationErrors StandardError,
    string Out,
    double ReturnTransmission,
    double Efficiency,
    double Gain,
    double Photons,
    int Seed)
{
    /// <summary>The calibration the report holds.</summary>
    public Calibration ToCalibration() => new(Transmission, ExcessNoise, ElectronicNoise, ReturnTransmission, Efficiency, Frames, StandardError);

    /// <summary>Reads a calibration file; a missing or malformed file is a <see cref="UserError"/> naming it.</summary>
    public static Calibration Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--calibration {path}: cannot read the file ({e.Message})", e);
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            double Field(string name, double? fallback = null)
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number) return value.GetDouble();
                return fallback ?? throw new UserError($"--calibration {path}: the number '{name}' is missing; write the file with 'qsi calibrate --out'");
            }
            var transmission = Field("transmission");
            var returnTransmission = Field("returnTransmission", 1);
            var efficiency = Field("efficiency", 1);
            if (transmission is <= 0 or > 1) throw new UserError($"--calibration {path}: transmission {transmission} is outside (0, 1]");
            if (returnTransmission <= 0) throw new UserError($"--calibration {path}: returnTransmission {returnTransmission} is not above 0");
            if (efficiency is <= 0 or > 1) throw new UserError($"--calibration {path}: efficiency {efficiency} is outside (0, 1]");
            var frames = root.TryGetProperty("frames", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : 0;
            return new Calibration(transmission, Field("excessNoise"), Field("electronicNoise"), returnTransmission, efficiency, frames, default);
        }
        catch (JsonException e)
        {
            throw new UserError($"--calibration {path}: not a JSON calibration ({e.Message})", e);
        }
    }
}
