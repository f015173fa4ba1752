using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Privacy;

public class SecureAggregationTests
{
    private static (string Id, float[] Delta, int Samples)[] Updates(int clients, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, clients)
            .Select(c => ($"client-{c:D2}", Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5) * 0.02f).ToArray(), 100 + 37 * c))
            .ToArray();
    }

    [Fact]
    public void The_sum_of_masked_updates_unmasked_is_the_weighted_mean_of_the_updates()
    {
        var updates = Updates(5, 1000, seed: 1);
        // Each client's own request id, as the server hands them out: the shared round names the seeds.
        var secrets = updates.Select((u, k) => (u, k)).ToDictionary(p => p.u.Id, p => new AggregationSecret(p.u.Id, requestId: 10 + p.k, round: 1));
        var keys = secrets.ToDictionary(s => s.Key, s => s.Value.PublicKey);

        var masked = updates.ToDictionary(u => u.Id, u => secrets[u.Id].Mask(u.Delta, u.Samples, keys));
        var survivors = updates.Select(u => u.Id).ToArray();
        var reveals = secrets.ToDictionary(s => s.Key, s => s.Value.Reveal(survivors));
        var mean = SecureSum.Mean(masked, reveals, updates.ToDictionary(u => u.Id, u => u.Samples));

        var expected = Aggregation.WeightedMean(updates.Select(u => new ClientUpdate(u.Id, u.Delta, u.Samples)).ToArray());
        Assert.All(reveals.Values, r => Assert.Empty(r.PeerSeeds));
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], mean[k], 1e-7f);
    }

    [Fact]
    public void A_client_that_falls_out_after_the_keys_leaves_a_sum_the_survivors_can_unmask()
    {
        var updates = Updates(4, 300, seed: 2);
        var secrets = updates.ToDictionary(u => u.Id, u => new AggregationSecret(u.Id, requestId: 3, round: 1));
        var keys = secrets.ToDictionary(s => s.Key, s => s.Value.PublicKey);
        // client-02 sends no masked update (it dropped out, or the verifier flagged it).
        var survivors = new[] { "client-00", "client-01", "client-03" };
        var masked = updates.Where(u => survivors.Contains(u.Id)).ToDictionary(u => u.Id, u => secrets[u.Id].Mask(u.Delta, u.Samples, keys));

        var reveals = survivors.ToDictionary(s => s, s => secrets[s].Reveal(survivors));
        var mean = SecureSum.Mean(masked, reveals, updates.ToDictionary(u => u.Id, u => u.Samples));

        var expected = Aggregation.WeightedMean(updates.Where(u => survivors.Contains(u.Id)).Select(u => new ClientUpdate(u.Id, u.Delta, u.Samples)).ToArray());
        Assert.All(reveals.Values, r => Assert.Equal(["client-02"], r.PeerSeeds.Keys));
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], mean[k], 1e-7f);
        Assert.Throws<InvalidOperationException>(() => secrets["client-02"].Reveal(survivors));
    }

    [Fact]
    public void A_masked_update_alone_looks_like_noise_and_fresh_secrets_mask_the_same_update_differently()
    {
        var update = Updates(1, 20_000, seed: 3)[0];
        using var first = new AggregationSecret("a", 1, 1);
        using var second = new AggregationSecret("a", 1, 1);
        using var peer = new AggregationSecret("b", 2, 1);
        var keys = new Dictionary<string, byte[]> { ["b"] = peer.PublicKey };

        var one = first.Mask(update.Delta, update.Samples, keys);
        var two = second.Mask(update.Delta, update.Samples, keys);

        Assert.NotEqual(one, two);
        // Uniform 64-bit integers: the top bit is set in about half of them (binomial sd 0.0035).
        Assert.InRange(one.Count(v => (long)v < 0) / (double)one.Length, 0.48, 0.52);
    }

    [Fact]
    public void Masks_are_reproducible_from_their_seed_and_masked_vectors_cross_the_wire_exactly()
    {
        var seed = Enumerable.Range(0, 32).Select(k => (byte)k).ToArray();
        Assert.Equal(MaskedSum.Mask(seed, 9), MaskedSum.Mask(seed, 9));
        Assert.Equal(MaskedSum.Mask(seed, 9)[..5], MaskedSum.Mask(seed, 5));
        var values = new ulong[] { 0, 1, ulong.MaxValue, 1234567890123 };
        Assert.Equal(values, MaskedSum.Decode(MaskedSum.Encode(values), 4));
        Assert.Contains("the model has 5", Assert.Throws<FormatException>(() => MaskedSum.Decode(MaskedSum.Encode(values), 5)).Message);
        Assert.Throws<ArgumentException>(() => MaskedSum.Quantize([float.NaN], 1));
    }
}

public class MaskedAggregationTests
{
    [Fact]
    public void Keys_are_relayed_once_every_client_still_in_has_sent_one_and_only_survivors_may_reveal()
    {
        var aggregation = new QSI.Federation.Rounds.MaskedAggregation(["a", "b", "c"]);
        Assert.True(aggregation.AddKey("a", [1]));
        Assert.False(aggregation.AddKey("z", [1]));
        Assert.False(aggregation.KeysComplete);
        aggregation.Excuse("c");
        Assert.True(aggregation.AddKey("b", [2]));
        Assert.True(aggregation.KeysComplete);

        Assert.Equal(["a", "b"], aggregation.Relay().Keys);
        Assert.False(aggregation.AddKey("c", [3]));
        Assert.Equal(["a"], aggregation.SetSurvivors(["c", "a"]));
        Assert.False(aggregation.AddReveal(new AggregationReveal("b", new byte[32], new Dictionary<string, byte[]>())));
        Assert.False(aggregation.RevealsComplete);
        Assert.True(aggregation.AddReveal(new AggregationReveal("a", new byte[32], new Dictionary<string, byte[]>())));
        Assert.True(aggregation.RevealsComplete);
    }
}
