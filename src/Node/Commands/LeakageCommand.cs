using System.CommandLine;
using QSI.Node.Output;
using QSI.Node.Reports;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary><c>qsi leakage</c>: the information bounds of one use of a layer (PROTOCOL.md section 4).</summary>
internal sealed class LeakageCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<double> _gain = ProtocolOptions.Gain();
    private readonly Option<double> _photons = ProtocolOptions.Photons();
    private readonly Option<int> _modes = CheckedOptions.Integer(
        "--modes", "N", "Modes n' per row of the frame: half the layer's inputs, rounded up (392 for 784 inputs).", minimum: 1);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<int?> _rows = CheckedOptions.OptionalInteger(
        "--rows", "M", "Rows M of the layer that reuse one input, for the conservative and the accounted data bounds (default: 2 x --modes, a square layer).", minimum: 1);
    private readonly Option<bool> _json = CommonOptions.Json();

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
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var modes = parse.GetValue(_modes);
        var report = LeakageReport.Compute(
            parse.GetValue(_gain), parse.GetValue(_photons), modes, parse.GetValue(_transmission), parse.GetValue(_rows) ?? 2 * modes);
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
