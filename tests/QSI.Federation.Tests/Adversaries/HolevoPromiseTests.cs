using QSI.Federation.Adversaries;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Adversaries;

public class HolevoPromiseTests(ITestOutputHelper output)
{
    private static readonly int[] Checkpoints = [1, 16, 256, 2048];

    /// <summary>How the curious client picks its queries: at random, or the orthogonal design that spreads them evenly over all directions.</summary>
    public enum Design { Isotropic, Basis }

    [Fact]
    public void The_extractor_never_learns_more_than_the_tightest_holevo_bound_on_its_light()
    {
        var results = new List<(string Where, double Bits, double Information, double Bound)>();
        var settings = 0;
        foreach (var (rows, columns, bias) in new[] { (8, 8, false), (16, 12, false), (12, 16, true) })
            foreach (var photons in new[] { 0.5, 4, 40 })
                foreach (var gain in new[] { 2, 2 + Math.Sqrt(2) })
                    foreach (var transmission in new[] { 1, 0.8 })
                        foreach (var design in Enum.GetValues<Design>())
                        {
                            var seed = settings++;
                            foreach (var (queries, extraction, information) in Sweep(rows, columns, bias, photons, gain, transmission, design, seed))
                            {
                                var where = $"{rows}x{columns}{(bias ? "+b" : "")}, mu = {photons}, G = {gain:F3}, T = {transmission}, {design}, Q = {queries}";
                                var bound = extraction.Estimate.BoundBitsPerWeight;
                                Assert.True(extraction.BitsPerWeight < bound,
                                    $"FINDING: the extractor learned {extraction.BitsPerWeight:G5} bits per weight, above the tightest Holevo bound {bound:G5}, at {where}");
                                Assert.True(information < bound,
                                    $"FINDING: the measurements carry {information:G5} bits per weight, above the tightest Holevo bound {bound:G5}, at {where}");
                                results.Add((where, extraction.BitsPerWeight, information, bound));
                            }
                        }
        var margin = results.MinBy(r => r.Bound - r.Bits);
        var ratio = results.MaxBy(r => r.Bits / r.Bound);
        var carried = results.MinBy(r => r.Bound - r.Information);
        output.WriteLine($"{settings} settings x {Checkpoints.Length} query counts = {results.Count} checks");
        output.WriteLine($"smallest margin: {margin.Bits:F4} learned of {margin.Bound:F4} bits per weight at {margin.Where}");
        output.WriteLine($"largest share:   {ratio.Bits:F4} learned of {ratio.Bound:F4} ({ratio.Bits / ratio.Bound:P1}) at {ratio.Where}");
        output.WriteLine($"measurements' information closest to the bound: {carried.Information:F4} of {carried.Bound:F4} at {carried.Where}");
        foreach (var q in Checkpoints)
        {
            var at = results.Where(r => r.Where.EndsWith($"Q = {q}")).ToArray();
            output.WriteLine($"Q = {q,4}: margin {at.Min(r => r.Bound - r.Bits):F4} to {at.Max(r => r.Bound - r.Bits):F4} bits per weight, share up to {at.Max(r => r.Bits / r.Bound):P1}");
        }
    }

    private static IEnumerable<(int Queries, LayerExtraction Extraction, double Information)> Sweep(
        int rows, int columns, bool bias, double photons, double gain, double transmission, Design design, int seed)
    {
        var model = GaussianLayers.Model(rows, columns, bias, seed);
        var shape = ModelShape.Of(model);
        var frame = new OpticalNetwork(model).EncodeLayer(0, photons, Checkpoints[^1]).Light;
        frame.PassThroughChannel(transmission);
        var device = new ClientDevice(gain);
        var extractor = new WeightExtractor(shape, gain);
        var noise = NoiseSource.Seeded(1000 + seed);
        var inputs = design == Design.Isotropic
            ? GaussianLayers.Inputs(Checkpoints[^1], columns, NoiseSource.Seeded(2000 + seed))
            : Enumerable.Range(0, Checkpoints[^1]).SelectMany(q => Enumerable.Range(0, columns).Select(j => j == q % columns ? 1f : 0f)).ToArray();
        var done = 0;
        foreach (var queries in Checkpoints)
        {
            for (; done < queries; done++)
                SecureQuery.Run([frame], device, inputs[(done * columns)..((done + 1) * columns)], noise, extractor);
            var extraction = extractor.Against(model)[0];
            // One frame, one round: the account's charge (LeakageCost) is the tightest bound.
            var charged = LeakageCost.Of(shape, new ChannelSettings(photons, gain, transmission), queries, 0, 1)[0].WeightBitsPerWeight;
            Assert.Equal(charged, extraction.Estimate.AccountBitsPerWeight, 12);
            Assert.Equal(charged, extraction.Estimate.BoundBitsPerWeight, 12);
            yield return (queries, extraction, extraction.Estimate.InformationBitsPerWeight);
        }
    }
}
