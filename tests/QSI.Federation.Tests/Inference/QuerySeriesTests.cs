using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Protocol.Attacks;
using QSI.Protocol.Encoding;
using QSI.Protocol.Verification;

namespace QSI.Federation.Tests.Inference;

public class QuerySeriesTests
{
    private static readonly Mlp Model = Mlp.Create([SmallClassifier.Side * SmallClassifier.Side, 32, 4], bias: true, new Random(1));
    private static readonly LabeledImages Images = SmallClassifier.Images(300, seed: 4);

    [Fact]
    public void An_observer_sees_every_query_in_order_and_a_seed_gives_the_same_checks_whatever_the_threads()
    {
        const int queries = 700;
        var one = new Transcript();
        var two = new Transcript();
        var options = new SecureInferenceOptions { Photons = 4, Seed = 3, ImagesPerFrame = 50 };

        var sequential = QuerySeries.Run(Model, Images, queries, options with { Parallelism = 1 }, observer: one);
        var parallel = QuerySeries.Run(Model, Images, queries, options with { Parallelism = 2 }, observer: two);

        Assert.Equal(sequential.Checks, parallel.Checks);
        Assert.Equal(one.Seen, two.Seen);
        Assert.Equal(2 * queries, one.Seen.Count);
        // Query q is image q mod 300, the bias's constant 1 appended, and every layer is seen in turn.
        var image = new float[Images.PixelsPerImage];
        for (var q = 0; q < queries; q += 97)
        {
            Images.CopyNormalizedInput(q % Images.Count, image);
            Assert.Equal((0, string.Join(',', image.Append(1f))), (one.Seen[2 * q].Layer, one.Seen[2 * q].Inputs));
            Assert.Equal(1, one.Seen[2 * q + 1].Layer);
        }
        Assert.Equal(14, sequential.Frames.Count);
        Assert.All(sequential.Checks, c => Assert.Equal(2L * (32 * 33 + 4 * 17), c.Dimensions));
    }

    [Fact]
    public void Two_series_of_one_seed_draw_apart_and_kept_light_leaves_nothing_to_check()
    {
        var options = new SecureInferenceOptions { Photons = 4, Seed = 3 };
        var first = QuerySeries.Run(Model, Images, 100, options, series: 0);
        var second = QuerySeries.Run(Model, Images, 100, options, series: 1);
        var kept = QuerySeries.Run(Model, Images, 100, options with { Attack = new Withhold() });

        Assert.NotEqual(first.Checks, second.Checks);
        Assert.All(kept.Checks, c => Assert.Equal(ResidualStatistics.None, c));
        Assert.Null(first.Knowledge);
        Assert.NotNull(kept.Knowledge);
    }

    [Fact]
    public void A_tap_s_estimates_pooled_over_its_frames_have_the_error_of_the_MMSE_estimate()
    {
        // Two frames of 250 copies, half of each heterodyned: the pooled variance is half a frame's,
        // and the shrunk estimate's relative error sqrt(v / (<W^2> + v)).
        var series = QuerySeries.Run(Model, Images, 500, new SecureInferenceOptions { Photons = 0.01, Seed = 5, Attack = new Tap(0.5) });
        var estimates = series.FramesOf(0).Select(f => series.Knowledge!.Of(f)!).ToArray();

        var pooled = PooledInterception.Of(estimates)!;

        Assert.Equal(2, estimates.Length);
        Assert.Equal(500, pooled.Copies);
        Assert.Equal(estimates[0].Variance / 2, pooled.Variance, 1e-9 * pooled.Variance);
        var meanSquare = estimates[0].MeanSquareWeight;
        var expected = Math.Sqrt(pooled.Variance / (meanSquare + pooled.Variance));
        // 32 x 65 weights: the squared error's relative sd is about sqrt(2 / 2080), 3 %.
        Assert.InRange(pooled.RelativeError(Model.Layers[0]), 0.95 * expected, 1.05 * expected);
        Assert.True(expected is > 0.2 and < 0.8, $"the test should sit where shrinking matters (expected error {expected})");
    }

    private sealed class Transcript : IMeasurementObserver
    {
        public List<(int Layer, string Inputs, string Estimates)> Seen { get; } = [];

        public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates) =>
            Seen.Add((layer, string.Join(',', inputs.ToArray()), string.Join(',', estimates.ToArray())));
    }
}
