namespace QSI.Federation.Rounds;

/// <summary>
/// Every random stream of a federated run, derived from the run's seed and the place it is used
/// (the round, the client, the phase) by SplitMix64 mixing. No stream is carried from one
/// round to the next, so the seed and the round number are the whole random state of a run:
/// a resumed run draws exactly what an uninterrupted one would.
/// </summary>
public static class RunSeeds
{
    /// <summary>What a stream is for; part of its derivation.</summary>
    public enum Purpose
    {
        /// <summary>The initial weights.</summary>
        Model = 1,
        /// <summary>The split of the data among simulated clients.</summary>
        Partition,
        /// <summary>Each client's split into training and held-out samples.</summary>
        Holdout,
        /// <summary>Choosing the clients of a phase.</summary>
        Sampling,
        /// <summary>A client's shuffling of its samples.</summary>
        Shuffle,
        /// <summary>A client's device noise.</summary>
        Device,
        /// <summary>The verifier's detector noise.</summary>
        Verifier,
        /// <summary>The final secure evaluation of the test set.</summary>
        SecureTest,
        /// <summary>What a poisoning client draws to corrupt its update.</summary>
        Poisoning,
        /// <summary>The server's differential-privacy noise on a round's sum (central privacy).</summary>
        AggregateNoise,
        /// <summary>A client's share of the differential-privacy noise (distributed privacy).</summary>
        UpdateNoise,
    }

    /// <summary>A seed for <paramref name="purpose"/> at the place named by <paramref name="path"/>.</summary>
    public static int For(int seed, Purpose purpose, params long[] path)
    {
        var state = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)purpose);
        var z = Mix(ref state);
        foreach (var step in path)
        {
            state ^= unchecked((ulong)step + z);
            z = Mix(ref state);
        }
        return unchecked((int)z ^ (int)(z >> 32));
    }

    /// <summary>A hash of <paramref name="text"/> that is the same in every process (FNV-1a; string.GetHashCode is not).</summary>
    public static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash = unchecked(hash * 1099511628211UL);
        }
        return unchecked((long)hash);
    }

    private static ulong Mix(ref ulong state)
    {
        var z = state = unchecked(state + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
