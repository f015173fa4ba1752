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
/// </remarks>
public static class SecureInference
{
    /// <summary>Classifies <paramref name="images"/> through the protocol.</summary>
    public static SecureInferenceReport Run(Mlp model, LabeledImages images, SecureInferenceOptions options, IProgress<int>? progress = null)
    {
        if (images.PixelsPerImage != model.InputSize)
            throw new ArgumentException($"the model takes {model.InputSize} inputs; the images have {images.PixelsPerImage} pixels", nameof(images));
        var network = new OpticalNetwork(model);
        var verifier = new ResidualVerifier(new VerifierOptions
        {
            Gain = options.Gain, Transmission = options.Transmission, FalseAlarmRate = options.FalseAlarmRate,
        });
        IClientDevice device = new ClientDevice(options.Gain, options.Path);
        var batches = (images.Count + options.ImagesPerFrame - 1) / options.ImagesPerFrame;
        var results = new BatchResult[batches];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, b =>
        {
            var start = b * options.ImagesPerFrame;
            var count = Math.Min(options.ImagesPerFrame, images.Count - start);
            // The client's and the verifier's devices draw from separate streams, as separate instruments do.
            results[b] = RunBatch(network, device, verifier, images, start, count, options,
                NoiseSource.ForStream(options.Seed, 2L * b), NoiseSource.ForStream(options.Seed, 2L * b + 1));
            progress?.Report(count);
        });
        clock.Stop();

        var residuals = results.Aggregate(ResidualStatistics.None, (s, r) => s + r.Residuals);
        return new SecureInferenceReport(
            images.Count, results.Sum(r => r.Correct), images.Count, results.Sum(r => r.Accepted),
            residuals, verifier.Check(residuals), clock.Elapsed);
    }

    private static BatchResult RunBatch(OpticalNetwork network, IClientDevice device, ResidualVerifier verifier,
        LabeledImages images, int start, int count, SecureInferenceOptions options, NoiseSource clientNoise, NoiseSource verifierNoise)
    {
        var layers = network.Encode(options.Photons, count);
        foreach (var layer in layers) layer.Light.PassThroughChannel(options.Transmission);
        var frames = layers.Select(l => l.Light).ToArray();
        var references = layers.Select(l => l.Reference).ToArray();
        var labels = images.Labels.Span;
        int correct = 0, accepted = 0;
        var pooled = ResidualStatistics.None;
        var input = new float[images.PixelsPerImage];
        for (var k = start; k < start + count; k++)
        {
            images.CopyNormalizedInput(k, input);
            var query = SecureQuery.Run(frames, device, input, clientNoise);
            if (TensorPrimitives.IndexOfMax(query.Outputs) == labels[k]) correct++;
            var residuals = QueryVerification.Measure(query.Residuals, references, verifierNoise);
            if (verifier.Check(residuals).Accepted) accepted++;
            pooled += residuals;
        }
        return new BatchResult(correct, accepted, pooled);
    }

    private sealed record BatchResult(int Correct, int Accepted, ResidualStatistics Residuals);
}
