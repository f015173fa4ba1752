namespace QSI.Federation.Rounds;

/// <summary>
/// Chooses the clients of a round, as Flower's strategies do: a fraction of those available,
/// at least a minimum, uniformly at random. The draw depends only on the seed, the round and
/// the phase, so a resumed run samples as an uninterrupted one does.
/// </summary>
public static class ClientSampler
{
    /// <summary>
    /// max(minimum, ceil(fraction n)) of the <paramref name="available"/> clients (all of them if
    /// fewer), sorted by id; none when the fraction is 0.
    /// </summary>
    public static IReadOnlyList<string> Sample(IEnumerable<string> available, double fraction, int minimum, int seed, int round, TaskKind kind)
    {
        var candidates = available.Order(StringComparer.Ordinal).ToArray();
        if (fraction <= 0 || candidates.Length == 0) return [];
        var count = Count(candidates.Length, fraction, minimum);
        if (count == candidates.Length) return candidates;
        var random = new Random(RunSeeds.For(seed, RunSeeds.Purpose.Sampling, round, (long)kind));
        random.Shuffle(candidates);
        return [.. candidates.Take(count).Order(StringComparer.Ordinal)];
    }

    /// <summary>How many of <paramref name="available"/> clients <see cref="Sample"/> chooses (for a fraction above 0).</summary>
    public static int Count(int available, double fraction, int minimum) =>
        Math.Min(available, Math.Max(minimum, (int)Math.Ceiling(fraction * available - 1e-9)));
}
