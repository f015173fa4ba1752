using System.Diagnostics;
using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Node.Output;
using QSI.Node.Reports;
using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Verification;

namespace QSI.Node.Attacks;

/// <summary>The settings of one <c>qsi attack</c> measurement.</summary>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="Gain">The announced gain G.</param>
/// <param name="Transmission">Channel transmission T.</param>
/// <param name="FalseAlarm">The verifier's false-alarm rate per check.</param>
/// <param name="Frames">Queries of each series.</param>
/// <param name="Seed">Seed of every draw.</param>
internal sealed record AttackSettings(double Photons, double Gain, double Transmission, double FalseAlarm, int Frames, int Seed);

/// <summary>Where <c>qsi attack</c> writes; the extraction files only for <c>extract</c>.</summary>
internal sealed record AttackFiles(string Out, string RocCsv, string RocPng, string? ExtractionCsv, string? ExtractionPng)
{
    /// <summary>The files in <paramref name="directory"/>.</summary>
    public static AttackFiles In(string directory, bool extraction) => new(directory,
        Path.Combine(directory, "roc.csv"), Path.Combine(directory, "roc.png"),
        extraction ? Path.Combine(directory, "extraction.csv") : null, extraction ? Path.Combine(directory, "extraction.png") : null);
}

/// <summary>What <see cref="AttackRun.Measure"/> found: the report and the curves behind its files.</summary>
internal sealed record AttackOutcome(AttackReport Report, IReadOnlyList<RocPoint> Roc, IReadOnlyList<ExtractionPoint> Extraction);

/// <summary>
/// One <c>qsi attack</c> measurement: a series of honest queries and one of the strategy's, each
/// query checked by the verifier on its own; then detection (single and pooled checks, against
/// DetectionPower's prediction) and what the strategy learned, against its bound.
/// </summary>
internal static class AttackRun
{
    /// <summary>The detection probability <c>framesToDetection</c> asks of pooled checks.</summary>
    public const double Target = 0.99;

    // Queries per frame of the curious server's mode-by-mode series.
    private const int CuriousBatch = 10;

    /// <summary>Runs both series of <paramref name="model"/> on <paramref name="images"/>, with bars on <paramref name="display"/>.</summary>
    public static AttackOutcome Measure(Mlp model, string? modelPath, LabeledImages images, AttackStrategy strategy, AttackSettings settings,
        AttackFiles files, ProgressDisplay display)
    {
        var clock = Stopwatch.StartNew();
        var options = new SecureInferenceOptions
        {
            Photons = settings.Photons, Gain = settings.Gain, Transmission = settings.Transmission,
            FalseAlarmRate = settings.FalseAlarm, Seed = settings.Seed,
        };
        var honest = Series(display, "honest client", model, images, settings.Frames, options, 0, null, null);
        var attack = (strategy as AttackStrategy.Optical)?.Attack;
        ExtractionCurve? extraction = strategy is AttackStrategy.Extraction || attack is OverGain
            ? new ExtractionCurve(model, (attack as OverGain)?.Gain ?? settings.Gain, settings.Frames, curve: attack is null)
            : null;
        var estimation = strategy is AttackStrategy.Curiosity ? new InputEstimation(settings.Frames, settings.Gain, settings.Transmission) : null;
        var dishonestOptions = options with
        {
            Attack = attack,
            Path = estimation is null ? SimulationPath.SufficientStatistics : SimulationPath.ModeByMode,
            // Mode by mode a query takes milliseconds to seconds: small batches keep every core busy.
            ImagesPerFrame = estimation is null ? options.ImagesPerFrame : CuriousBatch,
        };
        var dishonest = Series(display, strategy.Spec, model, images, settings.Frames, dishonestOptions, 1, extraction, estimation is null ? null : estimation.Measure);

        var verifierOptions = new VerifierOptions { Gain = settings.Gain, Transmission = settings.Transmission, FalseAlarmRate = settings.FalseAlarm };
        var verifier = new ResidualVerifier(verifierOptions);
        var honestChecks = new CheckSeries(honest.Checks);
        var dishonestChecks = new CheckSeries(dishonest.Checks);
        var measured = dishonestChecks.FewestPooledFrames(verifier, Target);
        var network = new OpticalNetwork(model);
        var modes = (network.Columns(0) + 1) / 2;
        var predicted = attack is null ? null : new DetectionPower(verifierOptions).FewestFrames(
            PerQuery(model, network, settings.Photons), attack.Expected(settings.Gain, settings.Photons, modes, settings.Transmission), Target);
        // The pooled curve at the measured K, else the predicted one if measurable; single queries already are K = 1.
        var pooledFrames = measured ?? (predicted is { } p && p <= dishonestChecks.LargestMeasurablePooling ? (int)p : null);
        if (pooledFrames == 1) pooledFrames = null;
        var roc = RocCurve.Measure(honestChecks, dishonestChecks, verifierOptions, pooledFrames);

        var seen = dishonestChecks.PooledEstimate();
        var leakage = Leakage(model, network, settings, attack, dishonest, extraction, seen);
        var data = estimation?.Summary();
        var falseAlarm = settings.FalseAlarm;
        var report = new AttackReport(
            strategy.Spec, settings.Frames, settings.Photons, settings.Gain, settings.Transmission, falseAlarm,
            dishonestChecks.FlaggedFraction(verifier), honestChecks.FlaggedFraction(verifier),
            Math.Sqrt(falseAlarm * (1 - falseAlarm) / settings.Frames),
            measured, predicted, dishonestChecks.LargestMeasurablePooling, seen?.Transmission, seen?.ExcessNoise,
            leakage?.GainedBitsPerWeight, leakage?.BoundBitsPerWeight, leakage?.RelativeError,
            extraction is null ? null : [.. extraction.Final.Select(e => e.RelativeError)],
            data?.MeanSquaredError, data?.StandardError, data?.CramerRao, data?.Ratio, data?.DirectionOverlap, data?.RandomOverlap,
            modes, [.. Enumerable.Range(0, network.Depth).Select(l => (network.Columns(l) + 1) / 2)], model.Sizes, settings.Seed, modelPath,
            files.Out, files.RocCsv, files.RocPng, files.ExtractionCsv, files.ExtractionPng, clock.Elapsed.TotalSeconds);
        return new AttackOutcome(report, roc, extraction?.Points ?? []);
    }

    private static QuerySeriesResult Series(ProgressDisplay display, string name, Mlp model, LabeledImages images, int frames,
        SecureInferenceOptions options, int series, IMeasurementObserver? observer, LightMeasurement? measure)
    {
        var bar = display.Add($"{name}: {frames:N0} queries", frames);
        var result = QuerySeries.Run(model, images, frames, options, series, observer, measure, new SynchronousProgress<int>(n => bar.Advance(n)));
        bar.Complete($"{name}: {frames:N0} queries in {result.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    // One query's check: one use of every layer's frame, a bias as one more column.
    private static CheckSize PerQuery(Mlp model, OpticalNetwork network, double photons) =>
        Enumerable.Range(0, network.Depth).Aggregate(default(CheckSize),
            (size, l) => size + CheckSize.ForLayer(model.Layers[l].Rows, network.Columns(l), photons));

    private static WeightLeakage? Leakage(Mlp model, OpticalNetwork network, AttackSettings settings, Attack? attack,
        QuerySeriesResult dishonest, ExtractionCurve? extraction, (double, double)? seen)
    {
        if (extraction is not null) return WeightLeakage.Extracted(extraction.Final[0]);
        if (attack is null) return null;
        var columns = network.Columns(0);
        if (seen is null) return WeightLeakage.Kept(settings.Frames, settings.Photons, (columns + 1) / 2, columns);
        var estimates = dishonest.FramesOf(0).Select(f => dishonest.Knowledge!.Of(f)).OfType<WeightEstimate>();
        return PooledInterception.Of(estimates) is { } pooled
            ? WeightLeakage.Intercepted(pooled, model.Layers[0], settings.Photons, seen.Value)
            : null;
    }
}
