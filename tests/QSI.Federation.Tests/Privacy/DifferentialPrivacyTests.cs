using QSI.Federation.Privacy;
using QSI.Federation.Privacy.SecAgg;
using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Privacy;

public class DifferentialPrivacyTests
{
    private static float[] Vector(Random random, int length, double scale) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * scale))];

    // The sample std of n draws has standard error std / sqrt(2 n); the tests allow 5 of them.
    private static double Std(IEnumerable<double> values)
    {
        var array = values.ToArray();
        var mean = array.Average();
        return Math.Sqrt(array.Sum(v => (v - mean) * (v - mean)) / (array.Length - 1));
    }

    [Fact]
    public void Clipping_bounds_every_norm_keeps_the_direction_and_leaves_small_updates_alone()
    {
        var random = new Random(1);
        foreach (var scale in new[] { 1e-4, 0.01, 0.3, 1, 10, 1e4 })
        for (var trial = 0; trial < 20; trial++)
        {
            var original = Vector(random, 1 + random.Next(5000), scale);
            var clipped = original.ToArray();
            var norm = Clipping.ClipInPlace(clipped, 0.5);
            Assert.Equal(Clipping.Norm(original), norm, 1e-12);
            Assert.True(Clipping.Norm(clipped) <= 0.5, $"norm {Clipping.Norm(clipped):R} after clipping to 0.5");
            if (norm <= 0.5) Assert.Equal(original, clipped);
            else
            {
                Assert.Equal(0.5, Clipping.Norm(clipped), 1e-5);
                var cosine = original.Zip(clipped).Sum(p => (double)p.First * p.Second) / (norm * Clipping.Norm(clipped));
                Assert.Equal(1, cosine, 1e-6);
            }
        }
        float[] poisoned = [1, float.NaN, 2];
        Clipping.ClipInPlace(poisoned, 1);
        Assert.Equal([0f, 0f, 0f], poisoned);
    }

    [Fact]
    public void Central_noise_on_the_sum_has_std_z_times_the_clip()
    {
        const int m = 10, length = 100_000;
        const double z = 1.3, clip = 0.2;
        var privacy = new UpdatePrivacy(new DifferentialPrivacySettings { NoiseMultiplier = z, Clip = clip });
        var zeros = Enumerable.Range(0, m).Select(k => new ClientUpdate($"c{k}", new float[length], 100)).ToArray();

        var (mean, record) = privacy.Release(zeros, m, m, 0.5, GaussianNoise.Seeded(7));

        var std = Std(mean!.Delta.Select(v => (double)v * m));
        Assert.Equal(z * clip, std, 5 * z * clip / Math.Sqrt(2.0 * length));
        Assert.Equal(new RoundPrivacy(0.5, z, clip, clip, 1.0), record);
        Assert.Equal(new RenyiAccountant().EpsilonAfter(0.5, z, 1e-5), privacy.Epsilon, 1e-12);
    }

    [Fact]
    public void The_seeded_noise_reproduces_and_the_secure_noise_does_not()
    {
        float[] a = new float[64], b = new float[64], c = new float[64], d = new float[64];
        GaussianNoise.Seeded(3).AddTo(a, 1);
        GaussianNoise.Seeded(3).AddTo(b, 1);
        GaussianNoise.Secure().AddTo(c, 1);
        GaussianNoise.Secure().AddTo(d, 1);
        Assert.Equal(a, b);
        Assert.NotEqual(c, d);
        var draws = new float[200_000];
        GaussianNoise.Secure().AddTo(draws, 2.5);
        Assert.Equal(2.5, Std(draws.Select(v => (double)v)), 5 * 2.5 / Math.Sqrt(2.0 * draws.Length));
    }

    [Fact]
    public void Distributed_shares_summed_over_the_clients_carry_the_central_noise()
    {
        const int m = 16, length = 50_000;
        const double z = 0.9, clip = 0.05;
        var privacy = new UpdatePrivacy(new DifferentialPrivacySettings { Mode = PrivacyMode.Distributed, NoiseMultiplier = z, Clip = clip });
        var share = privacy.ForClients(m)!;
        Assert.Equal(z * clip / Math.Sqrt(m), share.NoiseStd, 1e-15);
        var random = new Random(2);
        // Each client's change is far outside the clip, so it reaches the sum as a vector of norm C plus its noise share.
        var changes = Enumerable.Range(0, m).Select(_ => Vector(random, length, 1)).ToArray();
        var uploads = changes.Select((delta, k) => new ClientUpdate($"c{k}", share.Privatize(delta, 50 + k, GaussianNoise.Seeded(100 + k)), 50 + k)).ToArray();

        var (mean, record) = privacy.Release(uploads, m, m, 0.25, GaussianNoise.Seeded(0));

        var clipped = changes.Select(delta => { var c = delta.ToArray(); Clipping.ClipInPlace(c, clip); return c; }).ToArray();
        var noise = Enumerable.Range(0, length).Select(k => mean!.Delta[k] * (double)m - clipped.Sum(c => (double)c[k]));
        Assert.Equal(z * clip, Std(noise), 5 * z * clip / Math.Sqrt(2.0 * length));
        Assert.Equal(z, record.NoiseMultiplier);
    }

    [Fact]
    public void Missing_distributed_shares_are_accounted_with_the_smaller_noise_that_reached_the_sum()
    {
        var privacy = new UpdatePrivacy(new DifferentialPrivacySettings { Mode = PrivacyMode.Distributed, NoiseMultiplier = 2, Clip = 1 });
        var (_, record) = privacy.Release([new ClientUpdate("c", new float[4], 1)], contributors: 4, sampled: 16, 0.5, GaussianNoise.Seeded(0));
        Assert.Equal(2 * Math.Sqrt(4 / 16.0), record.NoiseMultiplier, 1e-15);
        var (none, nothing) = privacy.Release([], 0, 16, 0.5, GaussianNoise.Seeded(0));
        Assert.Null(none);
        Assert.Equal(0, nothing.NoiseMultiplier);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void The_adaptive_clip_converges_to_the_target_quantile_of_the_norms(double quantile)
    {
        // Norms are log-normal, ln |Delta| ~ N(-1, 0.5^2): the gamma quantile is exp(-1 + 0.5 Phi^-1(gamma)).
        const int m = 100;
        var clip = new AdaptiveClip(5.0, new AdaptiveClipSettings { TargetQuantile = quantile, LearningRate = 0.2 });
        var random = new Random(4);
        var noise = GaussianNoise.Seeded(5);
        var late = new List<double>();
        for (var round = 0; round < 400; round++)
        {
            var unclipped = Enumerable.Range(0, m).Count(_ => Math.Exp(-1 + 0.5 * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1)) <= clip.Clip);
            clip.Update(unclipped, m, noise);
            if (round >= 200) late.Add(clip.Clip);
        }
        // The fraction of the norm distribution below the clip it settled at, averaged over the last 200 rounds:
        // the per-round count's noise (binomial sd 0.05 plus sigma_b / m = 0.05) averages down to a few hundredths.
        var reached = late.Average(c => MathNet.Numerics.Distributions.Normal.CDF(0, 1, (Math.Log(c) + 1) / 0.5));
        Assert.InRange(reached, quantile - 0.03, quantile + 0.03);
    }

    [Fact]
    public void Adaptive_clipping_noises_the_updates_less_to_pay_for_the_count()
    {
        // Andrew et al. 2021: z_Delta = (z^-2 - (2 sigma_b)^-2)^-1/2; with sigma_b = m / 20 = 5 and z = 1, 1.0050.
        Assert.Equal(Math.Pow(1 - 0.01, -0.5), AdaptiveClip.UpdateNoiseMultiplier(1, 5), 1e-12);
        Assert.Throws<ArgumentException>(() => AdaptiveClip.UpdateNoiseMultiplier(1, 0.5));
    }

    [Fact]
    public void Under_secure_aggregation_the_server_unmasks_exactly_the_noised_sum()
    {
        const int m = 5, length = 2000;
        var share = new ClientPrivacy(Clip: 0.1, NoiseStd: 0.04);
        var random = new Random(6);
        var clients = Enumerable.Range(0, m).Select(k => (Id: $"client-{k:D2}", Delta: Vector(random, length, 0.01), Samples: 90 + 13 * k)).ToArray();
        var uploads = clients.Select((c, k) => (c.Id, Upload: share.Privatize(c.Delta, c.Samples, GaussianNoise.Seeded(k)), c.Samples)).ToArray();
        var secAgg = clients.Select((c, k) => new SecAggClient(c.Id, requestId: 20 + k, round: 1)).ToDictionary(s => s.ClientId);
        var server = new SecAggServer(secAgg.Keys, round: 1);
        foreach (var client in secAgg.Values) server.AddKeys(client.ClientId, client.Keys);
        var roster = server.RelayKeys()!;
        foreach (var client in secAgg.Values) server.AddShares(client.ClientId, client.ShareKeys(server.Threshold, roster));
        foreach (var (to, envelopes) in server.ForwardShares()!) secAgg[to].AcceptShares(envelopes);
        var masked = uploads.ToDictionary(u => u.Id, u => secAgg[u.Id].Mask(u.Upload, u.Samples));
        var survivors = server.ChooseSurvivors(masked.Keys)!;
        foreach (var survivor in survivors) server.AddSignature(survivor, secAgg[survivor].SignSurvivors(survivors));
        var signatures = server.ForwardSignatures()!;
        foreach (var signer in signatures.Keys) server.AddReveal(signer, secAgg[signer].Unmask(survivors, signatures));

        var secureMean = server.Mean(masked, clients.ToDictionary(c => c.Id, c => c.Samples));
        var privacy = new UpdatePrivacy(new DifferentialPrivacySettings { Mode = PrivacyMode.Distributed, NoiseMultiplier = 1, Clip = 0.1 });
        var (mean, _) = privacy.Release([new ClientUpdate("secure-sum", secureMean, clients.Sum(c => c.Samples))], m, m, 1, GaussianNoise.Seeded(0));

        // The noised sum the clients' own draws add up to: clip(Delta) + the same seeded noise, summed.
        var expected = new double[length];
        for (var k = 0; k < m; k++)
        {
            var noised = clients[k].Delta.ToArray();
            Clipping.ClipInPlace(noised, share.Clip);
            GaussianNoise.Seeded(k).AddTo(noised, share.NoiseStd);
            for (var i = 0; i < length; i++) expected[i] += noised[i];
        }
        // Exact up to the fixed point (2^-24 per client) and the float rounding of the uploads and the mean.
        for (var i = 0; i < length; i++) Assert.Equal(expected[i], mean!.Delta[i] * (double)m, 1e-6);
        Assert.True(expected.Select(Math.Abs).Max() > 0.05);
    }
}
