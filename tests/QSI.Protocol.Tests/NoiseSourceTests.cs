using MathNet.Numerics.Distributions;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests;

public class NoiseSourceTests
{
    private const int Draws = 400_000;

    private static double[] Sample(int seed)
    {
        var draws = new double[Draws];
        NoiseSource.Seeded(seed).FillGaussian(draws);
        return draws;
    }

    [Fact]
    public void Draws_follow_the_standard_normal_law()
    {
        var draws = Sample(seed: 1);
        // One-sample Kolmogorov-Smirnov against Φ at significance 0.001: D < 1.949 / sqrt(n).
        var sorted = draws.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var cdf = Normal.CDF(0, 1, sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / Draws - cdf, cdf - (double)i / Draws));
        }
        Assert.True(d < 1.949 / Math.Sqrt(Draws), $"KS D = {d:F5}");

        // Moments within 5 standard errors: mean 0 (se 1/√n), variance 1 (se √(2/n)), fourth moment 3 (se √(96/n)).
        var mean = draws.Average();
        var variance = draws.Select(x => x * x).Average();
        var fourth = draws.Select(x => x * x * x * x).Average();
        Assert.InRange(mean, -5 / Math.Sqrt(Draws), 5 / Math.Sqrt(Draws));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / Draws), 1 + 5 * Math.Sqrt(2.0 / Draws));
        Assert.InRange(fourth, 3 - 5 * Math.Sqrt(96.0 / Draws), 3 + 5 * Math.Sqrt(96.0 / Draws));
        Assert.True(draws.Max() < 7 && draws.Min() > -7 && draws.All(double.IsFinite));
    }

    [Fact]
    public void Consecutive_draws_and_the_two_coordinates_of_a_pair_are_uncorrelated()
    {
        var draws = Sample(seed: 2);
        // A batch holds 512 first coordinates, then their 512 partners: lags 1 and 512 test both.
        foreach (var lag in new[] { 1, 512 })
        {
            var correlation = Enumerable.Range(0, Draws - lag).Average(i => draws[i] * draws[i + lag]);
            Assert.True(Math.Abs(correlation) < 5 / Math.Sqrt(Draws), $"lag {lag}: correlation {correlation:F5}");
        }
        // A pair's radius and angle are independent: its squared radius is χ²(2), mean 2, variance 4.
        var squared = Enumerable.Range(0, Draws / 1024).SelectMany(b => Enumerable.Range(0, 512)
            .Select(i => draws[b * 1024 + i] * draws[b * 1024 + i] + draws[b * 1024 + 512 + i] * draws[b * 1024 + 512 + i])).ToArray();
        Assert.InRange(squared.Average(), 2 - 5 * 2 / Math.Sqrt(squared.Length), 2 + 5 * 2 / Math.Sqrt(squared.Length));
        // Quadrants equally often: the signs come from their own bits.
        var quadrants = new int[4];
        for (var b = 0; b < Draws / 1024; b++)
            for (var i = 0; i < 512; i++) quadrants[(draws[b * 1024 + i] < 0 ? 1 : 0) + (draws[b * 1024 + 512 + i] < 0 ? 2 : 0)]++;
        var expected = squared.Length / 4.0;
        Assert.All(quadrants, q => Assert.InRange(q, expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected)));
    }

    [Fact]
    public void A_seed_gives_the_same_draws_and_another_seed_other_ones()
    {
        Assert.Equal(Sample(seed: 3).Take(2000), Sample(seed: 3).Take(2000));
        Assert.NotEqual(Sample(seed: 3).Take(2000), Sample(seed: 4).Take(2000));
        var one = NoiseSource.Seeded(5);
        var single = Enumerable.Range(0, 1500).Select(_ => one.NextGaussian()).ToArray();
        var filled = new double[1500];
        NoiseSource.Seeded(5).FillGaussian(filled);
        Assert.Equal(single, filled);
    }
}
