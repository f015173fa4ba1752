using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Strategies;

public class FixedPointSumTests
{
    private static float[] Delta(Random random, int length, double scale) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * scale))];

    [Fact]
    public void The_mean_has_the_same_bits_in_every_order_the_updates_come_in()
    {
        var random = new Random(5);
        // Values from 1e-6 to 10 in magnitude, so that a double sum's rounding would differ by order.
        var updates = Enumerable.Range(0, 40).Select(k => (Delta: Delta(random, 257, Math.Pow(10, k % 8 - 6)), Samples: 1 + random.Next(600))).ToArray();
        float[] MeanIn(IEnumerable<int> order)
        {
            var sum = new FixedPointSum(257);
            foreach (var k in order) sum.Add(updates[k].Delta, updates[k].Samples);
            return sum.Mean();
        }
        var inOrder = MeanIn(Enumerable.Range(0, updates.Length));
        for (var shuffle = 0; shuffle < 20; shuffle++)
            Assert.Equal(inOrder, MeanIn(Enumerable.Range(0, updates.Length).OrderBy(_ => random.Next())));

        // And it is the weighted mean to within N 2^-33 / S (plus the float it is rounded to).
        var samples = updates.Sum(u => (double)u.Samples);
        var bound = updates.Length * Math.Pow(2, -33) / samples;
        for (var k = 0; k < 257; k++)
        {
            var exact = updates.Sum(u => (double)u.Delta[k] * u.Samples) / samples;
            Assert.InRange(inOrder[k] - exact, -(bound + Math.Abs(exact) * 6e-8), bound + Math.Abs(exact) * 6e-8);
        }
    }

    [Fact]
    public void The_mean_of_one_update_is_that_update_unrounded()
    {
        float[] tiny = [1e-20f, -3.3e-15f, 0.1f, 123.456f];
        var sum = new FixedPointSum(4);
        sum.Add(tiny, 60_000);
        Assert.Equal(tiny, sum.Mean());
        Assert.Equal((1, 60_000L), (sum.Count, sum.Samples));
    }

    [Fact]
    public void A_term_beyond_the_range_is_refused_and_a_wrong_length_too()
    {
        var sum = new FixedPointSum(2);
        sum.Add([1, 1], 1);
        Assert.False(FixedPointSum.Fits([4e4f, 0], 60_000));
        Assert.True(FixedPointSum.Fits([3e4f, 0], 60_000));
        Assert.Throws<ArgumentException>(() => sum.Add([4e4f, 0], 60_000));
        Assert.Throws<ArgumentException>(() => sum.Add([1, 1, 1], 1));
        Assert.Throws<InvalidOperationException>(() => new FixedPointSum(2).Mean());
    }
}
