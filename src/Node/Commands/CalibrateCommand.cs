using System.CommandLine;
using QSI.Node.Output;
using QSI.Node.Reports;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi calibrate</c>: the verifier's calibration step (docs/CONVENTIONS.md, "A real channel"). Honest devices send
/// frames through the testbed the flags describe; the verifier estimates the transmission, the channel's noise, the
/// return transmission and its own electronic noise, and writes what <c>qsi verifier --calibration</c> then expects.
/// </summary>
internal sealed class CalibrateCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<double> _photons = ProtocolOptions.Photons(defaultValue: 4);
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly ChannelFlags _channel = new();
    private readonly Option<int> _frames = CheckedOptions.Integer("--frames", "N",
        $"Honest frames to calibrate on ({VerifierCalibration.Rows} rows; half of 1 mode per row, half of {VerifierCalibration.WideModes}), and as many dark frames.",
        minimum: 2, defaultValue: 200);
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string> _out = new("--out")
    {
        Description = "File to write the calibration to (JSON), for 'qsi verifier --calibration FILE'.",
        HelpName = "FILE",
        Required = true,
    };
    private readonly Option<bool> _json = CommonOptions.Json();

    public CalibrateCommand(Terminal terminal)
        : base("calibrate", "Estimate the verifier's channel (transmission, channel noise, its electronic noise) from honest frames, and write what 'qsi verifier' expects.")
    {
        _terminal = terminal;
        foreach (var option in new Option[] { _photons, _gain, _transmission, _frames, _seed, _out, _json }.Concat(_channel.All)) Options.Add(option);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var seed = parse.GetValue(_seed);
        var (photons, gain) = (parse.GetValue(_photons), parse.GetValue(_gain));
        var frames = parse.GetValue(_frames);
        var path = Path.GetFullPath(parse.GetValue(_out)!);
        var calibration = VerifierCalibration.Run(gain, photons, parse.GetValue(_transmission), _channel.Read(parse), frames, NoiseSource.Seeded(seed));
        var report = new CalibrationReport(calibration.Transmission, calibration.ExcessNoise, calibration.ElectronicNoise, calibration.Frames,
            calibration.StandardError, path, calibration.ReturnTransmission, calibration.Efficiency, gain, photons, seed);
        try
        {
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            using var file = new StreamWriter(path);
            JsonReport.Write(file, report);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--out {path}: cannot write the calibration ({e.Message})", e);
        }
        if (parse.GetValue(_json))
        {
            JsonReport.Write(_terminal.Output, report);
            return ExitCodes.Success;
        }
        var se = report.StandardError;
        var table = new Table().Title($"calibration on {frames} honest frames, G = {Display.Number(gain)}, mu = {Display.Number(photons)}")
            .AddColumn("quantity").AddColumn("estimate").AddColumn("standard error");
        table.AddRow("transmission at the verifier", Display.Number(report.Transmission), Display.Number(se.Transmission));
        table.AddRow("channel noise per mode (SNU)", Display.Number(report.ExcessNoise), Display.Number(se.ExcessNoise));
        table.AddRow("electronic noise (SNU)", Display.Number(report.ElectronicNoise), Display.Number(se.ElectronicNoise));
        table.AddRow("return transmission", Display.Number(report.ReturnTransmission), Display.Number(se.ReturnTransmission));
        _terminal.Results.Write(table);
        _terminal.Results.MarkupLineInterpolated($"written to {path}");
        return ExitCodes.Success;
    }
}
