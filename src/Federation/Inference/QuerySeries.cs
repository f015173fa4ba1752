using System.Diagnostics;
using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Inference;

/// <summary>
/// How the verifier's side measures one query's returned light (every layer's, in layer order)
/// when it does more than <see cref="QueryVerification.Measure(IReadOnlyList{ReturnedLight}, IReadOnlyList{FrameReference}, NoiseSource)"/>, as a curious server does;
/// returns the verifier's statistics of it. Called on worker threads, once per query.
/// </summary>
/// <param name="query">The query's index in the series.</param>
/// <param name="input">The query's input, as the first layer's frame saw it (a bias's constant 1 included).</param>
/// <param name="light">The returned light, one per layer.</param>
/// <param name="references">The frames' references, one per layer.</param>
/// <param name="noise">The verifier's noise stream of the query's batch.</param>
public delegate ResidualStatistics LightMeasurement(
    int query, ReadOnlySpan<float> input, IReadOnlyList<ReturnedLight> light, IReadOnlyList<FrameReference> references, NoiseSource noise);

/// <summary>What a series of queries left for the verifier, and what the device kept of them.</summary>
/// <param name="Checks">The verifier's statistics of each query, in order; <see cref="ResidualStatistics.None"/> for one whose light the device kept.</param>
/// <param name="Frames">The frames used, per batch and layer ([batch][layer]).</param>
/// <param name="Knowledge">What a dishonest device measured beyond its outputs; null for the honest device.</param>
/// <param name="Elapsed">Wall-clock time of the series.</param>
public sealed record QuerySeriesResult(ResidualStatistics[] Checks, IReadOnlyList<FrameId[]> Frames, Interception? Knowledge, TimeSpan Elapsed)
{
    /// <summary>The frames of layer <paramref name="layer"/>, in batch order.</summary>
    public IReadOnlyList<FrameId> FramesOf(int layer) => [.. Frames.Select(f => f[layer])];
}

/// <summary>
/// Many queries of one network through one device (PROTOCOL.md section 3, step 7), each checked
/// on its own: the queries of <see cref="SecureInference"/>, batched and seeded the same way (one
/// frame per layer per batch of <see cref="SecureInferenceOptions.ImagesPerFrame"/> queries, batch k
/// on noise streams of its own), run in parallel, with what the client saw handed to an observer
/// in the order of the queries.
/// </summary>
/// <remarks>
/// An observer is not thread-safe (a client measures on one thread): batches run in windows, what
/// each saw is recorded, and a window's records are replayed to the observer on one thread while
/// the next window runs, so the observer sees exactly the sequence of a sequential run.
/// </remarks>
public static class QuerySeries
{
    /// <summary>
    /// Runs <paramref name="queries"/> queries of <paramref name="model"/>, query q on image
    /// q mod <paramref name="images"/>.Count, through the device <paramref name="options"/> describe
    /// (its <see cref="SecureInferenceOptions.Attack"/>, gain and path). <paramref name="series"/>
    /// picks the seed's noise streams, so that two series of one seed draw independently.
    /// </summary>
    public static QuerySeriesResult Run(Mlp model, LabeledImages images, int queries, SecureInferenceOptions options, int series = 0,
        IMeasurementObserver? observer = null, LightMeasurement? measure = null, IProgress<int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        if (images.PixelsPerImage != model.InputSize)
            throw new ArgumentException($"the model takes {model.InputSize} inputs; the images have {images.PixelsPerImage} pixels", nameof(images));
        var network = new OpticalNetwork(model);
        var attacker = options.Attack?.Device(options.Gain, options.Path);
        IClientDevice device = attacker ?? (IClientDevice)new ClientDevice(options.Gain, options.Path);
        var perFrame = options.ImagesPerFrame;
        var batches = (queries + perFrame - 1) / perFrame;
        var checks = new ResidualStatistics[queries];
        var frames = new FrameId[batches][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism };
        var window = observer is null ? batches : 2 * Math.Max(1, options.Parallelism);
        var clock = Stopwatch.StartNew();
        var replay = Task.CompletedTask;
        for (var first = 0; first < batches; first += window)
        {
            var last = Math.Min(batches, first + window);
            var records = new MeasurementRecord?[last - first];
            Parallel.For(first, last, parallel, b =>
            {
                var start = b * perFrame;
                var count = Math.Min(perFrame, queries - start);
                var record = observer is null ? null : new MeasurementRecord();
                var stream = ((long)series << 40) + 2L * b;
                frames[b] = RunBatch(network, device, images, start, count, options, checks, record, measure,
                    NoiseSource.ForStream(options.Seed, stream), NoiseSource.ForStream(options.Seed, stream + 1));
                records[b - first] = record;
                progress?.Report(count);
            });
            replay.Wait();
            if (observer is not null) replay = Task.Run(() => { foreach (var record in records) record!.ReplayTo(observer); });
        }
        replay.Wait();
        clock.Stop();
        return new QuerySeriesResult(checks, frames, attacker?.Knowledge, clock.Elapsed);
    }

    private static FrameId[] RunBatch(OpticalNetwork network, IClientDevice device, LabeledImages images, int start, int count,
        SecureInferenceOptions options, ResidualStatistics[] checks, MeasurementRecord? record, LightMeasurement? measure,
        NoiseSource clientNoise, NoiseSource verifierNoise)
    {
        var layers = network.Encode(options.Photons, count);
        foreach (var layer in layers) layer.Light.PassThroughChannel(options.Transmission);
        var frames = layers.Select(l => l.Light).ToArray();
        var references = layers.Select(l => l.Reference).ToArray();
        var input = new float[images.PixelsPerImage];
        for (var q = start; q < start + count; q++)
        {
            images.CopyNormalizedInput(q % images.Count, input);
            var query = SecureQuery.Run(frames, device, input, clientNoise, record);
            // Light kept from the verifier: nothing to measure, and the check flags.
            if (query.Residuals.Count < references.Length) checks[q] = ResidualStatistics.None;
            else if (measure is null) checks[q] = QueryVerification.Measure(query.Residuals, references, verifierNoise);
            else
            {
                var seen = frames[0].Columns == input.Length + 1 ? [.. input, 1f] : input;
                checks[q] = measure(q, seen, query.Residuals, references, verifierNoise);
            }
        }
        return [.. frames.Select(f => f.Id)];
    }
}
