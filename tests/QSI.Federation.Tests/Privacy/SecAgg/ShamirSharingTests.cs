using System.Numerics;
using FsCheck;
using FsCheck.Xunit;
using QSI.Federation.Privacy.SecAgg;

namespace QSI.Federation.Tests.Privacy.SecAgg;

[Properties(Replay = "1207,2027", MaxTest = 100)]
public class ShamirSharingTests
{
    private static Action<Span<byte>> Seeded(int seed)
    {
        var random = new Random(seed);
        return random.NextBytes;
    }

    [Property]
    public bool Any_t_of_the_shares_rebuild_the_secret(int seed, PositiveInt thresholdSeed, NonNegativeInt extraSeed)
    {
        var random = new Random(seed);
        var threshold = 1 + thresholdSeed.Get % 7;
        var count = threshold + extraSeed.Get % 6;
        var secret = new byte[32];
        random.NextBytes(secret);
        var shares = ShamirSharing.Split(secret, threshold, count, Seeded(seed + 1));
        var chosen = shares.OrderBy(_ => random.Next()).Take(threshold).ToArray();
        return ShamirSharing.Combine(chosen, 32).SequenceEqual(secret)
            && ShamirSharing.Combine(shares, 32).SequenceEqual(secret);
    }

    [Property]
    public bool Any_t_minus_1_shares_are_consistent_with_every_secret(int seed, PositiveInt thresholdSeed, NonNegativeInt extraSeed)
    {
        // The sharing polynomial of any other secret through the same t - 1 points is one that Split
        // draws (with coefficients some random stream gives): t - 1 shares cannot tell the two apart.
        var random = new Random(seed);
        var threshold = 2 + thresholdSeed.Get % 6;
        var count = threshold + extraSeed.Get % 4;
        var secret = new byte[ShamirSharing.ChunkBytes];
        var other = new byte[ShamirSharing.ChunkBytes];
        random.NextBytes(secret);
        random.NextBytes(other);
        var seen = ShamirSharing.Split(secret, threshold, count, Seeded(seed)).OrderBy(_ => random.Next()).Take(threshold - 1).ToArray();

        var points = seen.Select(s => (X: (BigInteger)s.X, Y: s.Values[0])).Prepend((X: 0, Y: new BigInteger(other, isUnsigned: true))).ToArray();
        var coefficients = Interpolate(points);
        var stream = coefficients.Skip(1).SelectMany(c => c.ToByteArray(isUnsigned: true).Concat(new byte[16]).Take(16)).ToArray();
        var offset = 0;
        var replay = ShamirSharing.Split(other, threshold, count, span => { stream.AsSpan(offset, span.Length).CopyTo(span); offset += span.Length; });

        return coefficients.Length == threshold && seen.All(s => replay[s.X - 1].Values[0] == s.Values[0]);
    }

    [Fact]
    public void Fewer_than_t_shares_rebuild_something_other_than_the_secret_and_bad_input_is_named()
    {
        var secret = Enumerable.Range(1, 32).Select(k => (byte)k).ToArray();
        var shares = ShamirSharing.Split(secret, 4, 6, Seeded(3));

        Assert.NotEqual(secret, ShamirSharing.Combine(shares[..3], 32));
        Assert.Equal(secret, ShamirSharing.Combine(shares[2..], 32));
        Assert.Equal(shares[1], ShamirShare.Decode(shares[1].Encode(), 32), new ShareComparer());
        Assert.Contains("same point", Assert.Throws<ArgumentException>(() => ShamirSharing.Combine([shares[0], shares[0]], 32)).Message);
        Assert.Contains("threshold of 7", Assert.Throws<ArgumentException>(() => ShamirSharing.Split(secret, 7, 6)).Message);
        Assert.Throws<FormatException>(() => ShamirShare.Decode(new byte[20], 32));
        Assert.Throws<FormatException>(() => ShamirShare.Decode(Enumerable.Repeat((byte)0xFF, 52).ToArray(), 32));
    }

    [Fact]
    public void The_default_threshold_is_more_than_two_thirds_and_a_threshold_must_be_a_majority()
    {
        Assert.Equal([1, 2, 3, 3, 4, 5, 7, 14], new[] { 1, 2, 3, 4, 5, 6, 10, 20 }.Select(SecAggThreshold.Default));
        Assert.All(Enumerable.Range(1, 50), n => Assert.Null(SecAggThreshold.Problem(SecAggThreshold.Default(n), n)));
        Assert.Contains("at least 6", SecAggThreshold.Problem(5, 10));
        Assert.Contains("more than the 10 clients", SecAggThreshold.Problem(11, 10));
        Assert.Null(SecAggThreshold.Problem(6, 10));
    }

    /// <summary>The coefficients (constant first) of the polynomial of degree below the number of points through them, over GF(p).</summary>
    private static BigInteger[] Interpolate((BigInteger X, BigInteger Y)[] points)
    {
        var p = ShamirSharing.Prime;
        var result = new BigInteger[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            BigInteger[] basis = [1];
            BigInteger denominator = 1;
            for (var j = 0; j < points.Length; j++)
            {
                if (j == i) continue;
                var next = new BigInteger[basis.Length + 1];
                for (var d = 0; d < basis.Length; d++)
                {
                    next[d + 1] = (next[d + 1] + basis[d]) % p;
                    next[d] = ((next[d] - basis[d] * points[j].X) % p + p) % p;
                }
                basis = next;
                denominator = denominator * (((points[i].X - points[j].X) % p + p) % p) % p;
            }
            var scale = points[i].Y * BigInteger.ModPow(denominator, p - 2, p) % p;
            for (var d = 0; d < basis.Length; d++) result[d] = (result[d] + basis[d] * scale) % p;
        }
        return result;
    }

    private sealed class ShareComparer : IEqualityComparer<ShamirShare>
    {
        public bool Equals(ShamirShare? a, ShamirShare? b) => a!.X == b!.X && a.Values.SequenceEqual(b.Values);

        public int GetHashCode(ShamirShare share) => share.X;
    }
}
