using System.CommandLine;
using QSI.Federation.Models;
using QSI.Node.Output;
using QSI.Node.Reports;

namespace QSI.Node.Commands;

/// <summary>
/// What <c>qsi import</c> and <c>qsi export</c> share: a model file in, a model file of the other
/// format out (by default beside it, with the other extension), and a one-line or JSON report.
/// </summary>
internal abstract class ModelConversionCommand : Command
{
    private readonly Terminal _terminal;
    private readonly string _outExtension;
    private readonly Argument<string> _source;
    private readonly Option<string?> _out;
    private readonly Option<bool> _json = CommonOptions.Json();

    protected ModelConversionCommand(Terminal terminal, string name, string description, string sourceFormat, string outFormat, string outExtension)
        : base(name, description)
    {
        _terminal = terminal;
        _outExtension = outExtension;
        _source = new Argument<string>("FILE") { Description = $"Model file to read ({sourceFormat})." };
        _out = new Option<string?>("--out")
        {
            Description = $"Model file to write ({outFormat}); its directory is created if needed (default: FILE with the extension {outExtension}).",
            HelpName = "FILE",
        };
        Arguments.Add(_source);
        Options.Add(_out);
        Options.Add(_json);
        SetAction(Run);
    }

    /// <summary>Reads <paramref name="source"/> (the path as given), writes <paramref name="outPath"/>, and returns the network with the ONNX side's opset and producer.</summary>
    protected abstract (Mlp Network, long Opset, string Producer) Convert(string source, string outPath);

    private int Run(ParseResult parse)
    {
        // Errors name the file as the user gave it; the report gives full paths.
        var given = parse.GetValue(_source)!;
        var source = Path.GetFullPath(given);
        var outPath = OutputFiles.PrepareFile(parse.GetValue(_out) ?? Path.ChangeExtension(source, _outExtension), "--out");
        if (outPath == source)
        {
            throw new UserError($"--out {outPath}: is the file being read; give another path");
        }

        var (network, opset, producer) = Convert(given, outPath);
        var report = new ModelConversionReport(
            source, outPath, network.Sizes, network.ParameterCount, network.Layers.All(l => l.Bias is not null), opset, producer);
        if (parse.GetValue(_json))
        {
            JsonReport.Write(_terminal.Output, report);
        }
        else
        {
            _terminal.Output.WriteLine($"{report.Out}: {ModelShape.Of(network)}, {report.Parameters:N0} parameters, from {report.Source} (ONNX opset {opset})");
        }

        return ExitCodes.Success;
    }
}
