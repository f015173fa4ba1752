namespace QSI.Federation.Privacy.SecAgg;

/// <summary>
/// The threshold t of secure aggregation: how many of the n clients that advertised keys must
/// send their shares back for the server to unmask the sum, so the sum survives n - t dropouts.
/// </summary>
public static class SecAggThreshold
{
    /// <summary>
    /// floor(2n/3) + 1: Bonawitz et al. (2017, section 6) show the protocol secure against a
    /// malicious server colluding with fewer than n/3 clients when t exceeds 2n/3; with ten
    /// clients, seven must finish and three may drop.
    /// </summary>
    public static int Default(int clients) => 2 * clients / 3 + 1;

    /// <summary>
    /// Null when <paramref name="threshold"/> can protect <paramref name="clients"/> clients: more
    /// than half of them (two survivor lists cannot both gather t signatures from clients that sign
    /// once, and the server cannot split the clients into two groups that each reveal) and at most all.
    /// </summary>
    public static string? Problem(int threshold, int clients)
    {
        if (threshold > clients) return $"a threshold of {threshold} is more than the {clients} clients of the round";
        if (2 * threshold <= clients) return $"a threshold of {threshold} is not more than half of the {clients} clients of the round; it must be at least {clients / 2 + 1}";
        return null;
    }
}
