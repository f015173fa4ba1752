using System.CommandLine;
using QSI.Node.Figures;
using QSI.Node.Output;
using QSI.Node.Reports;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary><c>qsi leakage</c>: the information bounds of one use of a layer (PROTOCOL.md section 4).</summary>
internal sealed class LeakageCommand : Command
{
    private readonly Terminal _terminal;
    private const int FigureModes = 392;
    private readonly Option<double[]> _gain = CheckedOptions.RealOrList(
        "--gain", "G", "Gain G of the client's phase-insensitive amplifier (above 1); G = 2 gives F = mu. With --map, a comma-separated list.",
        "a number above 1", g => g > 1);
    private readonly Option<double[]> _photons = CheckedOptions.RealOrList(
        "--photons", "MU", "Mean photon number mu per mode of the server's weight frames (above 0). With --map, a comma-separated list.",
        "a number above 0", mu => mu > 0);
    private readonly Option<int?> _modes = CheckedOptions.OptionalInteger(
        "--modes", "N", $"Modes n' per row of the frame: half the layer's inputs, rounded up (392 for 784 inputs); required without --map or --panels, whose default is {FigureModes}.", minimum: 1);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<int?> _rows = CheckedOptions.OptionalInteger(
        "--rows", "M", "Rows M of the layer that reuse one input, for the conservative and the accounted data bounds (default: 2 x --modes, a square layer).", minimum: 1);
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly Option<bool> _map = new("--map")
    {
        Description = "Write the leakage maps over the grid of --gain and --photons lists (map.csv, weight-map.png, data-map.png) and the weight-against-data trade-off (tradeoff.csv, tradeoff.png) into --out.",
    };
    private readonly Option<bool> _panels = new("--panels")
    {
        Description = "Write leakage against channel transmission (loss.csv/png), added excess noise (noise.csv/png) and modes per row (layers.csv/png) at one --gain and --photons into --out.",
    };
    private readonly Option<double> _excess = CheckedOptions.Real(
        "--excess", "E", "With --map or --panels: excess noise per mode added to the device's eps0/n', SNU (0 or more); the verifier charges it to the client.",
        "a number of at least 0", e => e >= 0, defaultValue: 0);
    private readonly Option<string?> _curve = new("--curve")
    {
        Description = "With --map: a curve.csv of 'qsi curve'; the photon number where its accuracy comes within 0.01 of its best is drawn on the maps.",
        HelpName = "FILE",
    };
    private readonly Option<string?> _out = new("--out")
    {
        Description = "With --map or --panels: directory to write the CSV and PNG files into; created if needed.",
        HelpName = "DIR",
    };

    public LeakageCommand(Terminal terminal)
        : base("leakage", "Bounds on what one use of a layer leaks: weight bits to the client (Holevo), data bits to the server (Cramér-Rao).")
    {
        _terminal = terminal;
        Options.Add(_gain);
        Options.Add(_photons);
        Options.Add(_modes);
        Options.Add(_transmission);
        Options.Add(_rows);
        Options.Add(_json);
        foreach (var option in new Option[] { _map, _panels, _excess, _curve, _out })
        {
            Options.Add(option);
        }

        Validators.Add(Validate);
        SetAction(Run);
    }

    // Reads only which flags were given and their raw text: a value that failed its own parser
    // has already been reported, and reading it here would throw.
    private void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        bool map = Given(result, _map), panels = Given(result, _panels);
        if (map && panels)
        {
            result.AddError("--map and --panels are two runs; give one");
        }
        else if (map || panels)
        {
            if (!Given(result, _out)) result.AddError($"{(map ? "--map" : "--panels")} needs --out DIR");
            if (panels) SingleValue(result);
            if (panels && Given(result, _curve)) result.AddError("--curve draws on the maps; add --map");
        }
        else
        {
            if (!Given(result, _modes)) result.AddError("Option '--modes' is required.");
            SingleValue(result);
            foreach (var option in new Option[] { _excess, _curve, _out })
            {
                if (Given(result, option)) result.AddError($"{option.Name} is for the figures; add --map or --panels");
            }
        }
    }

    private void SingleValue(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var option in new[] { _gain, _photons })
        {
            if (result.GetResult(option) is { } given && given.Tokens.Any(token => token.Value.Contains(',')))
            {
                result.AddError($"{option.Name} takes one value here; lists are for --map");
            }
        }
    }

    private static bool Given(System.CommandLine.Parsing.CommandResult result, Option option) =>
        result.GetResult(option) is { Implicit: false };

    private int Run(ParseResult parse)
    {
        if (parse.GetValue(_map) || parse.GetValue(_panels))
        {
            return Figures(parse);
        }

        var modes = parse.GetValue(_modes)!.Value;
        var report = LeakageReport.Compute(
            parse.GetValue(_gain)![0], parse.GetValue(_photons)![0], modes, parse.GetValue(_transmission), parse.GetValue(_rows) ?? 2 * modes);
        if (parse.GetValue(_json))
        {
            JsonReport.Write(_terminal.Output, report);
        }
        else
        {
            _terminal.Results.Write(Table(report));
        }

        return ExitCodes.Success;
    }

    private int Figures(ParseResult parse)
    {
        var directory = OutputFiles.PrepareDirectory(parse.GetValue(_out)!, "--out");
        var (gains, photons) = (parse.GetValue(_gain)!, parse.GetValue(_photons)!);
        var (transmission, excess, modes) = (parse.GetValue(_transmission), parse.GetValue(_excess), parse.GetValue(_modes) ?? FigureModes);
        var report = parse.GetValue(_map)
            ? LeakageFigures.Map(directory, gains, photons, transmission, excess, modes,
                parse.GetValue(_curve) is { } curve ? AccuracyContour.Read(curve) : null)
            : LeakageFigures.Panels(directory, gains[0], photons[0], transmission, excess, modes);
        if (parse.GetValue(_json))
        {
            JsonReport.Write(_terminal.Output, report);
            return ExitCodes.Success;
        }

        _terminal.Output.WriteLine(
            $"{report.Points} points: {Display.Number(report.WeightBitsPerWeightMin)} to {Display.Number(report.WeightBitsPerWeightMax)} bits per weight, {Display.Number(report.DataBitsMin)} to {Display.Number(report.DataBitsMax)} bits per data element");
        foreach (var file in report.Files)
        {
            _terminal.Output.WriteLine($"wrote {file}");
        }

        return ExitCodes.Success;
    }

    private static Table Table(LeakageReport r)
    {
        var table = new Table()
            .Title($"G = {Display.Number(r.Gain)}, mu = {Display.Number(r.Photons)}, n' = {r.Modes}, T = {Display.Number(r.Transmission)}")
            .AddColumn("bound")
            .AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("unit");
        table.AddRow("weights to client, per mode", Display.Number(r.WeightBitsPerMode), "bits per use");
        table.AddRow("weights to client, per weight", Display.Number(r.WeightBitsPerWeight), "bits per use");
        table.AddRow("data to server (sigma^4)", Display.Number(r.DataBits), "bits per element");
        table.AddRow($"data to server, conservative (M = {r.Rows})", Display.Number(r.DataBitsConservative), "bits per element");
        table.AddRow($"data to server, as accounted (M = {r.Rows})", Display.Number(r.DataBitsPerUse), "bits per element");
        table.AddRow("kappa(G)", Display.Number(r.Kappa), "");
        table.AddRow("F = 2 mu kappa", Display.Number(r.F), "");
        return table;
    }
}
