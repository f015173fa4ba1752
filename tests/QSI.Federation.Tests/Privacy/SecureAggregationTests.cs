using QSI.Federation.Privacy;

namespace QSI.Federation.Tests.Privacy;

public class SecureAggregationTests
{
    internal static (string Id, float[] Delta, int Samples)[] Updates(int clients, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, clients)
            .Select(c => ($"client-{c:D2}", Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5) * 0.02f).ToArray(), 100 + 37 * c))
            .ToArray();
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
