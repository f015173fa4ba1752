using QSI.Protocol.Verification;

namespace QSI.Node.Attacks;

/// <summary>
/// The verifier's statistics of a series of queries, one check each, and what its checks make of
/// them: the fraction flagged at any false-alarm rate, alone or pooled K frames at a time.
/// </summary>
internal sealed class CheckSeries(IReadOnlyList<ResidualStatistics> checks)
{
    /// <summary>Pooled checks a pooling size needs before its flagged fraction counts.</summary>
    public const int MinimumPooledChecks = 100;

    /// <summary>Single-query checks.</summary>
    public int Count => checks.Count;

    /// <summary>The fraction of single-query checks <paramref name="verifier"/> flags.</summary>
    public double FlaggedFraction(ResidualVerifier verifier) => FlaggedFraction(verifier, 1);

    /// <summary>
    /// The fraction flagged of the checks that pool disjoint runs of <paramref name="frames"/>
    /// consecutive queries (a remainder shorter than that is left out).
    /// </summary>
    public double FlaggedFraction(ResidualVerifier verifier, int frames)
    {
        var pooled = checks.Count / frames;
        if (pooled == 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, $"{checks.Count} queries hold no run of {frames}");
        var flagged = 0;
        for (var k = 0; k < pooled; k++)
        {
            var sum = ResidualStatistics.None;
            for (var q = k * frames; q < (k + 1) * frames; q++) sum += checks[q];
            if (!verifier.Check(sum).Accepted) flagged++;
        }
        return (double)flagged / pooled;
    }

    /// <summary>The largest pooling size with at least <see cref="MinimumPooledChecks"/> disjoint pooled checks.</summary>
    public int LargestMeasurablePooling => checks.Count / MinimumPooledChecks;

    /// <summary>
    /// The fewest frames K whose pooled checks <paramref name="verifier"/> flags at least
    /// <paramref name="target"/> of, among K with at least <see cref="MinimumPooledChecks"/>
    /// disjoint pooled checks; null when none does.
    /// </summary>
    public int? FewestPooledFrames(ResidualVerifier verifier, double target)
    {
        for (var frames = 1; frames <= LargestMeasurablePooling; frames++)
            if (FlaggedFraction(verifier, frames) >= target) return frames;
        return null;
    }

    /// <summary>The verifier's estimates (T-hat, eps-hat) of all the light pooled; null when none came back.</summary>
    public (double Transmission, double ExcessNoise)? PooledEstimate()
    {
        var sum = checks.Aggregate(ResidualStatistics.None, (s, c) => s + c);
        return sum.Uses == 0 ? null : ResidualVerifier.Estimate(sum);
    }
}
