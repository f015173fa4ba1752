using QSI.Protocol.Verification;

namespace QSI.Node.Attacks;

/// <summary>One false-alarm rate of the verifier's receiver operating characteristic; the fields are the columns of roc.csv.</summary>
/// <param name="FalseAlarm">The rate the verifier is set to (its thresholds).</param>
/// <param name="Detection">Fraction of the dishonest single-query checks it flags there.</param>
/// <param name="HonestFlagged">Fraction of the honest single-query checks it flags there: the measured false-alarm rate.</param>
/// <param name="PooledFrames">K of the pooled curve, or null when there is none.</param>
/// <param name="PooledDetection">Fraction flagged of the dishonest checks pooling K disjoint queries each; null without a pooled curve.</param>
internal sealed record RocPoint(double FalseAlarm, double Detection, double HonestFlagged, int? PooledFrames, double? PooledDetection);

/// <summary>
/// The verifier's ROC: the same checks re-tested at every false-alarm rate of a log-spaced grid,
/// from their statistics alone (the thresholds are all that changes).
/// </summary>
internal static class RocCurve
{
    /// <summary>Smallest false-alarm rate of the grid.</summary>
    public const double LowestRate = 1e-5;

    /// <summary>Largest false-alarm rate of the grid.</summary>
    public const double HighestRate = 0.5;

    /// <summary>Rates of the grid.</summary>
    public const int Points = 40;

    /// <summary>The grid's false-alarm rates, log-spaced from <see cref="LowestRate"/> to <see cref="HighestRate"/>.</summary>
    public static IEnumerable<double> Rates() =>
        Enumerable.Range(0, Points).Select(i => Math.Pow(10, Math.Log10(LowestRate) + i * (Math.Log10(HighestRate) - Math.Log10(LowestRate)) / (Points - 1)));

    /// <summary>
    /// The curve of <paramref name="dishonest"/> against <paramref name="honest"/> for a verifier
    /// of <paramref name="options"/> at every rate; with the checks pooling <paramref name="pooledFrames"/> queries when given.
    /// </summary>
    public static RocPoint[] Measure(CheckSeries honest, CheckSeries dishonest, VerifierOptions options, int? pooledFrames) =>
        [.. Rates().AsParallel().AsOrdered().Select(rate =>
        {
            var verifier = new ResidualVerifier(options with { FalseAlarmRate = rate });
            return new RocPoint(rate, dishonest.FlaggedFraction(verifier), honest.FlaggedFraction(verifier),
                pooledFrames, pooledFrames is { } k ? dishonest.FlaggedFraction(verifier, k) : null);
        })];
}
