namespace QSI.Federation.Privacy;

/// <summary>
/// The server's side of secure aggregation: the sum of the survivors' masked updates, less
/// their self masks and the pairwise masks they shared with clients that fell out, is the sum of
/// their updates; divided by their samples, the weighted mean that FedAvg-like strategies need.
/// </summary>
public static class SecureSum
{
    /// <summary>
    /// The sample-weighted mean delta of the survivors from their <paramref name="masked"/>
    /// vectors and <paramref name="reveals"/>; <paramref name="samples"/> gives each survivor's weight.
    /// </summary>
    /// <exception cref="ArgumentException">A survivor's reveal or vector is missing or of the wrong length.</exception>
    public static float[] Mean(IReadOnlyDictionary<string, ulong[]> masked, IReadOnlyDictionary<string, AggregationReveal> reveals,
        IReadOnlyDictionary<string, int> samples)
    {
        if (masked.Count == 0) throw new ArgumentException("there are no masked updates to sum");
        var length = masked.Values.First().Length;
        var sum = new ulong[length];
        double weight = 0;
        foreach (var (client, vector) in masked.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!reveals.TryGetValue(client, out var reveal)) throw new ArgumentException($"survivor {client} revealed nothing; its masks cannot be removed");
            MaskedSum.Add(sum, vector);
            MaskedSum.AddMask(sum, reveal.SelfSeed, -1);
            foreach (var (peer, seed) in reveal.PeerSeeds)
            {
                if (masked.ContainsKey(peer)) throw new ArgumentException($"survivor {client} revealed its seed with survivor {peer}");
                // The survivor added Sign(client, peer) times this mask; take it out.
                MaskedSum.AddMask(sum, seed, -AggregationSecret.Sign(client, peer));
            }
            weight += samples[client];
        }
        return MaskedSum.Mean(sum, weight);
    }
}
