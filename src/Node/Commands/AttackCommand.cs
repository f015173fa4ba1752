using System.CommandLine;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Node.Attacks;
using QSI.Node.Output;
using QSI.Node.Reports;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi attack</c>: measures one dishonest strategy (PROTOCOL.md section 5) against the verifier:
/// a series of honest queries and one of the strategy's, each checked on its own, then detection
/// alone and pooled (against DetectionPower's prediction) and what the strategy learned, against
/// its bound. Writes roc.csv and roc.png, and for <c>extract</c> extraction.csv and extraction.png.
/// </summary>
internal sealed class AttackCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<AttackStrategy> _strategy = new("--strategy")
    {
        Description = $"What to measure: {AttackStrategy.Forms}. Every reported field is defined in docs/CLI.md, \"Attacks: attack\".",
        HelpName = "NAME[:PARAM]",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            try
            {
                return AttackStrategy.Parse(text);
            }
            catch (ArgumentException e)
            {
                result.AddError($"--strategy: {e.Message}");
                return null;
            }
        },
    };
    private readonly Option<int?> _frames = CheckedOptions.OptionalInteger(
        "--frames", "K", $"Queries of each series, honest and dishonest; a query uses every layer's frame once and is one check (default {AttackStrategy.DefaultFrames:N0}; "
            + $"{AttackStrategy.Curiosity.DefaultCuriousFrames} for curious-server, whose queries are simulated mode by mode).", minimum: 1);
    private readonly Option<double> _photons = ProtocolOptions.Photons(defaultValue: 4);
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<double> _falseAlarm = ProtocolOptions.FalseAlarm();
    private readonly Option<string?> _model = new("--model")
    {
        Description = "Model file written by 'qsi train' (QSIM format), taking 784 inputs (default: a fresh network of --hidden without biases, seeded by --seed).",
        HelpName = "FILE",
    };
    private readonly Option<int[]> _hidden = CheckedOptions.IntegerList(
        "--hidden", "WIDTHS", "Hidden layer widths of the fresh network when no --model is given: 784 gives the paper's 784-784-10.", minimum: 1, defaultValue: [784]);
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string?> _out = new("--out")
    {
        Description = "Directory to write roc.csv, roc.png (and for extract extraction.csv, extraction.png) into; created if needed (default: runs/attack-TIME).",
        HelpName = "DIR",
    };
    private readonly Option<string?> _data = CommonOptions.Data();
    private readonly Option<string?> _cache = CommonOptions.Cache();
    private readonly Option<bool> _json = CommonOptions.Json();

    public AttackCommand(Terminal terminal)
        : base("attack", "Measure a dishonest client or a curious server against the verifier: detection alone and pooled, and what it learned against its bound.")
    {
        _terminal = terminal;
        foreach (var option in new Option[] { _strategy, _frames, _photons, _gain, _transmission, _falseAlarm, _model, _hidden, _seed, _out, _data, _cache, _json })
            Options.Add(option);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var json = parse.GetValue(_json);
        var strategy = parse.GetValue(_strategy)!;
        var seed = parse.GetValue(_seed);
        var settings = new AttackSettings(parse.GetValue(_photons), parse.GetValue(_gain), parse.GetValue(_transmission),
            parse.GetValue(_falseAlarm), parse.GetValue(_frames) ?? strategy.Frames, seed);
        var modelPath = parse.GetValue(_model) is { } path ? Path.GetFullPath(path) : null;
        if (modelPath is not null && parse.GetResult(_hidden) is { Implicit: false })
            throw new UserError("--hidden and --model exclude each other: --hidden shapes a fresh network, --model loads a trained one");
        var directory = OutputFiles.PrepareDirectory(parse.GetValue(_out) ?? Path.Combine("runs", $"attack-{DateTime.Now:yyyyMMdd-HHmmss}"), "--out");
        // The model first: a typo in --model should not wait for (or trigger) a data download.
        var model = modelPath is null
            ? Mlp.Create([MnistFiles.ImageSize * MnistFiles.ImageSize, .. parse.GetValue(_hidden)!, MnistFiles.Classes], bias: false, new Random(seed))
            : ModelFile.Load(modelPath);
        var images = MnistLoader.Load(parse.GetValue(_data), parse.GetValue(_cache), _terminal).Train;
        if (model.InputSize != images.PixelsPerImage)
            throw new UserError($"model {modelPath} takes {model.InputSize} inputs, but MNIST images have {images.PixelsPerImage} pixels");

        var files = AttackFiles.In(directory, strategy is AttackStrategy.Extraction);
        var outcome = ProgressDisplay.Run(_terminal, silent: json, display => AttackRun.Measure(model, modelPath, images, strategy, settings, files, display));
        var report = outcome.Report;
        OutputFiles.WriteAtomically(report.RocCsv, RocCsv.Format(outcome.Roc));
        OutputFiles.WriteAtomically(report.RocPng, RocPlot.Render(report, outcome.Roc));
        if (report.ExtractionCsv is { } csv && report.ExtractionPng is { } png)
        {
            OutputFiles.WriteAtomically(csv, ExtractionCsv.Format(outcome.Extraction));
            OutputFiles.WriteAtomically(png, ExtractionPlot.Render(report, outcome.Extraction));
        }

        if (json) JsonReport.Write(_terminal.Output, report);
        else Render(report);
        return ExitCodes.Success;
    }

    private void Render(AttackReport r)
    {
        var table = new Table()
            .Title($"{r.Strategy}: {string.Join('-', r.Sizes)}, {r.Frames:N0} queries each, mu = {Display.Number(r.Photons)}, G = {Display.Number(r.Gain)}, T = {Display.Number(r.Transmission)}")
            .AddColumn("")
            .AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("");
        table.AddRow("detection rate", Display.Percent(r.DetectionRate), $"of single-query checks, false-alarm rate {Display.Number(r.FalseAlarm)}");
        table.AddRow("false-alarm rate", Display.Percent(r.FalseAlarmRate), $"of honest checks; binomial sd {Display.Percent(r.FalseAlarmStandardError)}");
        table.AddRow("frames to detection", r.FramesToDetection?.ToString("N0") ?? "-", FramesNote(r));
        table.AddRow("predicted frames", r.PredictedFramesToDetection?.ToString("N0") ?? "-",
            r.PredictedFramesToDetection is null ? "honest-looking: nothing to predict" : PredictionNote(r));
        if (r.PooledTransmission is { } t)
            table.AddRow("verifier's T-hat, eps-hat", $"{Display.Number(t)}, {Display.Number(r.PooledExcessNoise!.Value)}", "of all the dishonest light pooled");
        if (r.WeightBitsBound is { } bound)
            table.AddRow("weight bits gained", r.WeightBitsGained is { } gained ? Display.Number(gained) : "-", $"per weight, first layer; bound {Display.Number(bound)}");
        if (r.RelativeError is { } error)
            table.AddRow("relative error", Display.Number(error),
                r.RelativeErrorByLayer is { } byLayer ? $"by layer: {string.Join(", ", byLayer.Select(Display.Number))}" : "|W^ - W| / |W|, first layer");
        if (r.DataMse is { } mse)
        {
            table.AddRow("data MSE", Display.Number(mse), $"per mode of |x_j|^2, ± {Display.Number(r.DataMseStandardError!.Value)}");
            table.AddRow("Cramér-Rao", Display.Number(r.DataCramerRao!.Value), $"MSE / bound = {Display.Number(r.DataMseRatio!.Value)}");
            table.AddRow("direction overlap", Display.Number(r.DataDirectionOverlap!.Value), $"|<x, v>|; a random direction: {Display.Number(r.DataRandomOverlap!.Value)}");
        }
        table.AddRow("time", $"{r.Seconds:F1} s", "");
        _terminal.Results.Write(table);
        foreach (var file in new[] { r.RocCsv, r.RocPng, r.ExtractionCsv, r.ExtractionPng }.OfType<string>())
            _terminal.Output.WriteLine($"wrote {file}");
    }

    private static string PredictionNote(AttackReport r) => r.ModesByLayer.Distinct().Count() == 1
        ? $"DetectionPower, n' = {r.Modes} in every layer"
        : $"DetectionPower, n' = {r.Modes} of the first layer (the layers have n' = {string.Join(", ", r.ModesByLayer)})";

    private static string FramesNote(AttackReport r)
    {
        if (r.FramesToDetection is not null) return $"pooled queries for {AttackRun.Target:P0} of pooled checks flagged";
        var largest = r.LargestMeasurablePooling;
        var needed = r.PredictedFramesToDetection is { } k ? $"; measuring K = {k:N0} needs --frames {k * Checks:N0}" : "";
        return largest == 0
            ? $"not measurable: fewer than {Checks} checks"
            : $"no K up to {largest:N0} reaches {AttackRun.Target:P0}{needed}";
    }

    private const int Checks = CheckSeries.MinimumPooledChecks;
}
