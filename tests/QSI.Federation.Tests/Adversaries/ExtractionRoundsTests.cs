using QSI.Federation.Adversaries;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Training;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Tests.Adversaries;

public class ExtractionRoundsTests
{
    private const int Rows = 16, Columns = 12, Queries = 700;

    [Fact]
    public void Keeping_everything_across_a_round_changes_nothing_and_forgetting_everything_starts_afresh()
    {
        var model = GaussianLayers.Model(Rows, Columns, bias: true, seed: 1);
        var straight = new WeightExtractor(ModelShape.Of(model), 2);
        var kept = new WeightExtractor(ModelShape.Of(model), 2);
        var forgot = new WeightExtractor(ModelShape.Of(model), 2);
        var fresh = new WeightExtractor(ModelShape.Of(model), 2);

        Measure(model, straight, seed: 2);
        Measure(model, kept, seed: 2);
        Measure(model, forgot, seed: 2);
        kept.BeginRound(retention: 1);
        forgot.BeginRound(retention: 0);
        foreach (var extractor in new[] { straight, kept, forgot, fresh }) Measure(model, extractor, seed: 3);

        // Keeping all only moves where the single-precision blocks end: equal to float rounding.
        var (a, b) = (straight.Estimate(0), kept.Estimate(0));
        Assert.Equal(a.ExpectedSquaredError, b.ExpectedSquaredError, 1e-6 * a.ExpectedSquaredError);
        Assert.InRange(LayerExtraction.RelativeErrorOf(b.Weights, a.Weights), 0, 1e-5);
        Assert.Equal(2 * Queries, b.ForwardCopies);
        // Forgetting all leaves exactly what a new extractor makes of the second round, light included.
        var (c, d) = (forgot.Estimate(0), fresh.Estimate(0));
        Assert.Equal(d.Weights.Weights, c.Weights.Weights);
        Assert.Equal(d.Weights.Bias, c.Weights.Bias);
        Assert.Equal(d.ExpectedSquaredError, c.ExpectedSquaredError);
        Assert.Equal(d.BoundBitsPerWeight, c.BoundBitsPerWeight);
        Assert.Equal(Queries, c.ForwardCopies);
        // Two rounds of the same W count as two frames, never as one: the bound of all the light is larger.
        Assert.True(b.BoundBitsPerWeight > c.BoundBitsPerWeight);
    }

    [Fact]
    public void When_the_weights_change_forgetting_the_old_round_tracks_the_new_weights_better()
    {
        var before = GaussianLayers.Model(Rows, Columns, bias: false, seed: 4);
        var after = GaussianLayers.Model(Rows, Columns, bias: false, seed: 5);
        var errors = new[] { 0, 0.5, 1 }.Select(retention =>
        {
            var extractor = new WeightExtractor(ModelShape.Of(before), 2);
            Measure(before, extractor, seed: 6);
            extractor.BeginRound(retention);
            Measure(after, extractor, seed: 7);
            return extractor.Against(after)[0].RelativeError;
        }).ToArray();

        // Old light of unrelated weights only misleads: each retained share of it costs accuracy.
        Assert.Equal(errors.Order(), errors);
        Assert.True(errors[2] > 1.5 * errors[0], $"relative errors {string.Join(", ", errors)} for retentions 0, 0.5, 1");
    }

    [Fact]
    public void A_frame_that_is_not_the_layers_is_refused_with_both_shapes()
    {
        var model = GaussianLayers.Model(Rows, Columns, bias: true, seed: 1);
        var other = new OpticalNetwork(GaussianLayers.Model(Rows, Columns + 1, bias: false, seed: 1)).EncodeLayer(0, 4, 1).Light;
        var extractor = new WeightExtractor(ModelShape.Of(model), 2);

        var wrong = Assert.Throws<ArgumentException>(() => extractor.Observe(0, FrameOrientation.Transposed, other, new float[13], 1, new float[16]));

        Assert.Contains("a transposed frame of layer 0 of a 12-16 model is 12x16", wrong.Message);
        Assert.Contains("is 16x13", wrong.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => extractor.BeginRound(1.5));
    }

    private static void Measure(Mlp model, WeightExtractor extractor, int seed)
    {
        var network = new OpticalNetwork(model);
        var frames = new RoundFrames([network.EncodeLayer(0, 4, Queries).Light], [null]);
        var channel = new OpticalWeightChannel(ModelShape.Of(model), frames, new ClientDevice(2), NoiseSource.Seeded(seed), extractor);
        var outputs = new float[Queries * Rows];
        channel.Forward(0, null, GaussianLayers.Inputs(Queries, Columns, NoiseSource.Seeded(100 + seed)), Queries, outputs);
    }
}
