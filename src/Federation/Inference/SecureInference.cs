using System.Diagnostics;
using System.Numerics.Tensors;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Inference;

/// <summary>
/// Secure inference of a whole network (PROTOCOL.md section 3): for each image, the client
/// runs every layer through a copy of the server's frame, feeding each layer's ReLU outputs
/// to the next, and the verifier checks the image's returned light from all layers.
/// </summary>
/// <remarks>
/// Images are processed in batches of <see cref="SecureInferenceOptions.ImagesPerFrame"/>:
/// one frame per layer and batch, carrying that many copies. Batch k draws its noise from
/// stream k of the seed, so results do not depend on how batches are spread over threads.
/// A query whose light of some layer the client kept is flagged, and its light is not measured.
/// With <see cref="SecureInferenceOptions.Batch"/> above 1 the client applies that many queries
/// to the copies of each frame at once, one product for all of them, and the verifier checks
/// their light together.
/// </remarks>
public static class SecureInference
{
    /// <summary>Classifies <paramref name="images"/> through the protocol.</summary>
    public static SecureInferenceReport Run(Mlp model, LabeledImages images, SecureInferenceOptions options, IProgress<int>? progress = null)
    {
        if (images.PixelsPerImage != model.InputSize)
            throw new ArgumentException($"the model takes {model.InputSize} inputs; the images have {images.PixelsPerImage} pixels", nameof(images));
        var network = new OpticalNetwork(model);
        var channel = options.Channel.Validated();
        var verifier = new ResidualVerifier(channel.Expecting(
            new VerifierOptions { Gain = options.Gain, FalseAlarmRate = options.FalseAlarmRate }, options.Transmission, options.Photons));
        var attacker = options.Attack?.Device(options.Gain, options.Path);
        IClientDevice device = attacker ?? (IClientDevice)new ClientDevice(options.Gain, options.Path, channel.ClientDetector);
        var batches = (images.Count + options.ImagesPerFrame - 1) / options.ImagesPerFrame;
        var results = new BatchResult[batches];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, b =>
        {
            var start = b * options.ImagesPerFrame;
            var count = Math.Min(options.ImagesPerFrame, images.Count - start);
            // The client's and the verifier's devices draw from separate streams, as separate instruments do.
            results[b] = RunFrame(network, device, verifier, images, start, count, options,
                NoiseSource.ForStream(options.Seed, 2L * b), NoiseSource.ForStream(options.Seed, 2L * b + 1));
            progress?.Report(count);
        });
        clock.Stop();

        var residuals = results.Aggregate(ResidualStatistics.None, (s, r) => s + r.Residuals);
        return new SecureInferenceReport(
            images.Count, results.Sum(r => r.Correct), results.Sum(r => r.Checks), results.Sum(r => r.Accepted),
            residuals, verifier.Check(residuals), clock.Elapsed) { Knowledge = attacker?.Knowledge };
    }

    private static BatchResult RunFrame(OpticalNetwork network, IClientDevice device, ResidualVerifier verifier,
        LabeledImages images, int start, int count, SecureInferenceOptions options, NoiseSource clientNoise, NoiseSource verifierNoise)
    {
        var layers = network.Encode(options.Photons, count);
        foreach (var layer in layers)
        {
            layer.Light.PassThroughChannel(options.Transmission);
            options.Channel.Forward(layer.Light);
        }
        var frames = layers.Select(l => l.Light).ToArray();
        var references = layers.Select(l => l.Reference).ToArray();
        var labels = images.Labels.Span;
        int correct = 0, checks = 0, accepted = 0;
        var pooled = ResidualStatistics.None;
        var batch = Math.Max(1, options.Batch);
        var inputs = new float[batch * images.PixelsPerImage];
        for (var first = start; first < start + count; first += batch)
        {
            var queries = Math.Min(batch, start + count - first);
            for (var q = 0; q < queries; q++) images.CopyNormalizedInput(first + q, inputs.AsSpan(q * images.PixelsPerImage, images.PixelsPerImage));
            var measured = queries == 1
                ? SecureQuery.Run(frames, device, inputs.AsSpan(0, images.PixelsPerImage), clientNoise)
                : BatchQuery.Run(frames, device, inputs.AsSpan(0, queries * images.PixelsPerImage), queries, clientNoise);
            var classes = measured.Outputs.Length / queries;
            for (var q = 0; q < queries; q++)
                if (TensorPrimitives.IndexOfMax(measured.Outputs.AsSpan(q * classes, classes)) == labels[first + q]) correct++;
            checks++;
            // Light kept from the verifier: the check is flagged.
            if (measured.Residuals.Count < references.Length) continue;
            var residuals = QueryVerification.Measure(measured.Residuals, references, verifierNoise, options.Channel);
            if (verifier.Check(residuals).Accepted) accepted++;
            pooled += residuals;
        }
        return new BatchResult(correct, checks, accepted, pooled);
    }

    private sealed record BatchResult(int Correct, int Checks, int Accepted, ResidualStatistics Residuals);
}
