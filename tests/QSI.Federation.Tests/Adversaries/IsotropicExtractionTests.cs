using QSI.Federation.Adversaries;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Adversaries;

public class IsotropicExtractionTests(ITestOutputHelper output)
{
    [Fact]
    public void Isotropic_queries_teach_half_log2_of_one_plus_QF_over_n_bits_per_weight_and_more_with_every_query()
    {
        const int rows = 32, columns = 24, total = 6144;
        const double photons = 4;
        var model = GaussianLayers.Model(rows, columns, bias: false, seed: 1);
        var frame = new OpticalNetwork(model).EncodeLayer(0, photons, total).Light;
        var device = new ClientDevice(2);
        var extractor = new WeightExtractor(ModelShape.Of(model), gain: 2);
        var noise = NoiseSource.Seeded(2);
        var inputs = GaussianLayers.Inputs(total, columns, NoiseSource.Seeded(3));
        var f = device.Noise.SignalFactor(photons);

        var errors = new List<double>();
        var done = 0;
        foreach (var queries in new[] { 24, 96, 384, 1536, 6144 })
        {
            for (; done < queries; done++)
                SecureQuery.Run([frame], device, inputs[(done * columns)..((done + 1) * columns)], noise, extractor);
            var extraction = extractor.Against(model)[0];
            var theory = 0.5 * Math.Log2(1 + queries * f / columns);
            output.WriteLine($"Q = {queries,5}: {extraction.BitsPerWeight:F3} bits per weight measured, {extraction.Estimate.ExpectedBitsPerWeight:F3} expected, {theory:F3} in theory");
            errors.Add(extraction.RelativeError);
            // The attacker's own expectation, from its posterior covariance, is the error it gets:
            // |W^ - W|^2 over 768 weights has a relative sd of about sqrt(2/768) = 5 %, i.e. 0.04 bits.
            Assert.InRange(extraction.BitsPerWeight - extraction.Estimate.ExpectedBitsPerWeight, -0.12, 0.12);
            // With Q >= 16 n, x x^T sums to (Q/n) I up to the Marchenko-Pastur spread, which costs at
            // most 1/2 log2(1/(1 - n/Q)) = 0.047 bits; 0.15 bits covers that and 3 sd.
            if (queries >= 16 * columns) Assert.InRange(extraction.BitsPerWeight - theory, -0.15, 0.15);
        }
        Assert.Equal(errors.OrderDescending(), errors);
        Assert.Equal(0, frame.CopiesRemaining);
    }

    [Fact]
    public void The_noise_the_extractor_assumes_is_the_noise_of_the_mode_by_mode_optics_through_a_lossy_channel()
    {
        const int rows = 16, columns = 12, queries = 1536;
        const double photons = 2, gain = 3, transmission = 0.7;
        var model = GaussianLayers.Model(rows, columns, bias: false, seed: 4);
        var frame = new OpticalNetwork(model).EncodeLayer(0, photons, queries).Light;
        frame.PassThroughChannel(transmission);
        var device = new ClientDevice(gain, SimulationPath.ModeByMode);
        var extractor = new WeightExtractor(ModelShape.Of(model), gain);
        var noise = NoiseSource.Seeded(5);
        var inputs = GaussianLayers.Inputs(queries, columns, NoiseSource.Seeded(6));

        for (var q = 0; q < queries; q++) SecureQuery.Run([frame], device, inputs[(q * columns)..((q + 1) * columns)], noise, extractor);

        var extraction = extractor.Against(model)[0];
        var theory = 0.5 * Math.Log2(1 + queries * device.Noise.SignalFactor(photons) * transmission / columns);
        output.WriteLine($"{extraction.BitsPerWeight:F3} bits per weight measured, {extraction.Estimate.ExpectedBitsPerWeight:F3} expected, {theory:F3} in theory");
        // 192 weights: |W^ - W|^2 has a relative sd of sqrt(2/192) = 10 %, 0.07 bits, so 0.2 is
        // about 3 sd; a noise variance assumed without the loss T = 0.7 would part them by 0.26 bits.
        Assert.InRange(extraction.BitsPerWeight - extraction.Estimate.ExpectedBitsPerWeight, -0.2, 0.2);
        // Q = 128 n: the Marchenko-Pastur cost is under 0.006 bits.
        Assert.InRange(extraction.Estimate.ExpectedBitsPerWeight - theory, -0.03, 0.01);
    }
}
