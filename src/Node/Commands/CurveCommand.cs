using System.CommandLine;
using QSI.Federation.Inference;
using QSI.Node.Output;
using QSI.Node.Reports;
using QSI.Protocol.Client;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi curve</c>: secure accuracy of a model at several photon numbers, written as curve.csv and
/// curve.png beside the paper's published curve (PROTOCOL.md section 4, accuracy anchor).
/// </summary>
/// <remarks>
/// Every point runs with the same seed (common random numbers), so the differences between
/// points come from mu and not from the draw. The honest client's returned noise does not depend
/// on mu, so the verifier's accept rate comes out the same at every point.
/// </remarks>
internal sealed class CurveCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<double> _gain = ProtocolOptions.Gain();
    private readonly Option<double[]> _photons = CheckedOptions.RealList(
        "--photons", "LIST", "Mean photon numbers mu to run, comma-separated, e.g. 0.1,0.3,1,2,2.32,3.6,10,100 (at G = 2, F = mu: the paper's points).",
        "a number above 0", mu => mu > 0);
    private readonly Option<string> _out = new("--out")
    {
        Description = "Directory to write curve.csv and curve.png into; created if needed.",
        Required = true,
        HelpName = "DIR",
    };
    private readonly Option<int?> _limit = CommonOptions.Limit();
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly DataFlags _data = new();
    private readonly Option<bool> _json = CommonOptions.Json();

    public CurveCommand(Terminal terminal)
        : base("curve", "Secure accuracy against photon number: runs the protocol at each mu and writes curve.csv and curve.png.")
    {
        _terminal = terminal;
        foreach (var option in new Option[] { _model, _gain, _photons, _out, _limit, _seed }.Concat(_data.All).Append(_json))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var json = parse.GetValue(_json);
        var gain = parse.GetValue(_gain);
        var seed = parse.GetValue(_seed);
        var directory = OutputFiles.PrepareDirectory(parse.GetValue(_out)!, "--out");
        var inputs = InferenceInputs.Load(
            parse.GetValue(_model)!, _data, parse, parse.GetValue(_limit), _terminal);

        var digital = DigitalInference.Run(inputs.Model, inputs.Images);
        var photons = parse.GetValue(_photons)!;
        var points = ProgressDisplay.Run(_terminal, silent: json, display =>
            photons.Select(mu => Point(inputs, gain, mu, seed, display)).ToArray());

        var report = new CurveReport(
            points, Path.Combine(directory, "curve.csv"), Path.Combine(directory, "curve.png"),
            digital.Accuracy, gain, inputs.Images.Count, seed);
        OutputFiles.WriteAtomically(report.Csv, CurveCsv.Format(points));
        OutputFiles.WriteAtomically(report.Png, CurvePlot.Render(report));

        if (json)
        {
            JsonReport.Write(_terminal.Output, report);
        }
        else
        {
            Render(report);
        }

        return ExitCodes.Success;
    }

    private static CurvePoint Point(InferenceInputs inputs, double gain, double photons, int seed, ProgressDisplay display)
    {
        var options = new SecureInferenceOptions { Photons = photons, Gain = gain, Seed = seed };
        var signalFactor = new DeviceNoise(gain).SignalFactor(photons);
        var bar = display.Add($"mu = {Display.Number(photons)}", inputs.Images.Count);
        var result = SecureInference.Run(inputs.Model, inputs.Images, options, new SynchronousProgress<int>(images => bar.Advance(images)));
        bar.Complete($"mu = {Display.Number(photons)}, F = {Display.Number(signalFactor)}: secure accuracy {Display.Percent(result.Accuracy)}");
        var leakage = ModelLeakage.For(inputs.Model, photons, gain, options.Transmission);
        return new CurvePoint(
            photons, signalFactor, result.Accuracy, PaperReference.AccuracyAt(signalFactor),
            result.AcceptRate, leakage.WeightBitsPerWeight, leakage.DataBits);
    }

    private void Render(CurveReport report)
    {
        var table = new Table()
            .Title($"{report.Images:N0} test images, G = {Display.Number(report.Gain)}, digital accuracy {Display.Percent(report.DigitalAccuracy)}")
            .AddColumn(new TableColumn("mu").RightAligned())
            .AddColumn(new TableColumn("F").RightAligned())
            .AddColumn(new TableColumn("secure").RightAligned())
            .AddColumn(new TableColumn("paper").RightAligned())
            .AddColumn(new TableColumn("accepted").RightAligned())
            .AddColumn(new TableColumn("bits/weight").RightAligned())
            .AddColumn(new TableColumn("bits/element").RightAligned());
        foreach (var p in report.Points)
        {
            table.AddRow(
                Display.Number(p.Photons), Display.Number(p.SignalFactor), Display.Percent(p.SecureAccuracy),
                p.PaperAccuracy is { } paper ? Display.Percent(paper) : "",
                Display.Percent(p.AcceptRate), Display.Number(p.WeightBitsPerWeight), Display.Number(p.DataBits));
        }

        _terminal.Results.Write(table);
        _terminal.Output.WriteLine($"wrote {report.Csv}");
        _terminal.Output.WriteLine($"wrote {report.Png}");
    }

}
