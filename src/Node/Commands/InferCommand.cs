using System.CommandLine;
using QSI.Federation.Inference;
using QSI.Node.Output;
using QSI.Node.Reports;
using QSI.Protocol.Client;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi infer</c>: classifies the test set with a trained model, digitally and then through the
/// protocol (PROTOCOL.md section 3), and reports accuracy, what the verifier saw, and the leakage bounds.
/// </summary>
internal sealed class InferCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<double> _photons = ProtocolOptions.Photons();
    private readonly Option<double> _gain = ProtocolOptions.Gain();
    private readonly Option<int?> _limit = CommonOptions.Limit();
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<double> _falseAlarm = ProtocolOptions.FalseAlarm();
    private readonly DataFlags _data = new();
    private readonly ChannelFlags _channel = new();
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly Option<int> _batch = CheckedOptions.Integer("--batch", "N",
        "Queries sent through copies of the same frames together and checked together (a verdict per batch); digital inference runs in batches of the same size. 1 runs one query at a time.",
        minimum: 1, defaultValue: 1);

    public InferCommand(Terminal terminal)
        : base("infer", "Classify the test set (MNIST's, or a CSV table's) with a trained model, in the clear and through the quantum-secure protocol.")
    {
        _terminal = terminal;
        foreach (var option in new Option[] { _model, _photons, _gain, _limit, _seed, _transmission, _falseAlarm, _batch }.Concat(_data.All).Append(_json).Concat(_channel.All))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var json = parse.GetValue(_json);
        var inputs = InferenceInputs.Load(
            parse.GetValue(_model)!, _data, parse, parse.GetValue(_limit), _terminal);
        var options = new SecureInferenceOptions
        {
            Photons = parse.GetValue(_photons),
            Gain = parse.GetValue(_gain),
            Transmission = parse.GetValue(_transmission),
            FalseAlarmRate = parse.GetValue(_falseAlarm),
            Seed = parse.GetValue(_seed),
            Batch = parse.GetValue(_batch),
            Channel = _channel.Read(parse),
        };

        // Both paths run once on a few images first, so the timed runs compare steady-state
        // throughput rather than how fast each compiles.
        var warmUp = inputs.Images.Take(Math.Min(inputs.Images.Count, 500));
        DigitalInference.Run(inputs.Model, warmUp, batch: options.Batch);
        SecureInference.Run(inputs.Model, warmUp, options with { Seed = options.Seed + 1 });

        var digital = DigitalInference.Run(inputs.Model, inputs.Images, batch: options.Batch);
        var secure = ProgressDisplay.Run(_terminal, silent: json, display =>
        {
            var bar = display.Add("secure inference", inputs.Images.Count);
            var result = SecureInference.Run(inputs.Model, inputs.Images, options, new SynchronousProgress<int>(images => bar.Advance(images)));
            bar.Complete($"secure inference: {result.Images} images, accuracy {Display.Percent(result.Accuracy)}");
            return result;
        });

        var report = new InferReport(
            digital.Accuracy,
            secure.Accuracy,
            VerifierSummary.From(secure, options),
            ModelLeakage.For(inputs.Model, options.Photons, options.Gain, options.Transmission, options.Channel),
            secure.ImagesPerSecond,
            digital.ImagesPerSecond,
            options.Batch,
            secure.Images,
            options.Photons,
            options.Gain,
            new DeviceNoise(options.Gain).SignalFactor(options.Photons),
            options.Transmission,
            options.Seed,
            inputs.ModelPath);
        if (json)
        {
            JsonReport.Write(_terminal.Output, report);
        }
        else
        {
            _terminal.Results.Write(Table(report));
        }

        return ExitCodes.Success;
    }

    private static Table Table(InferReport r)
    {
        var v = r.Verifier;
        var table = new Table()
            .Title($"{r.Images:N0} test images, mu = {Display.Number(r.Photons)}, G = {Display.Number(r.Gain)}, F = {Display.Number(r.SignalFactor)}, T = {Display.Number(r.Transmission)}")
            .AddColumn("")
            .AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("");
        table.AddRow("digital accuracy", Display.Percent(r.DigitalAccuracy), $"{r.DigitalImagesPerSecond:N0} images/s");
        table.AddRow("secure accuracy", Display.Percent(r.SecureAccuracy), $"{r.ImagesPerSecond:N0} images/s");
        table.AddRow("verifier accept rate", Display.Percent(v.AcceptRate), $"{v.Accepted:N0} of {v.Checks:N0} checks{(r.Batch > 1 ? $" of {r.Batch} queries" : "")} (false alarms {Display.Percent(v.FalseAlarmRate ?? 0)})");
        table.AddRow("excess noise (pooled)", Display.Number(v.ExcessNoise), $"SNU per use; honest device {Display.Number(v.ExpectedExcessNoise)}");
        table.AddRow("transmission (pooled)", Display.Number(v.Transmission), v.PooledAccepted ? "pooled check accepts" : "pooled check flags the client");
        table.AddRow("weight leakage", Display.Number(r.Leakage.WeightBitsPerWeight), $"bits/weight/use, first layer (n' = {r.Leakage.Modes})");
        table.AddRow("data leakage", Display.Number(r.Leakage.DataBits), "bits/element/use");
        return table;
    }

}
