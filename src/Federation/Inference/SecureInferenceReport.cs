using QSI.Protocol.Attacks;
using QSI.Protocol.Verification;

namespace QSI.Federation.Inference;

/// <summary>The outcome of a secure inference run.</summary>
/// <param name="Images">Images classified.</param>
/// <param name="Correct">Images classified correctly through the protocol.</param>
/// <param name="Checks">Verifier checks made (one per image, over all its layers' residuals).</param>
/// <param name="Accepted">Checks that accepted the client.</param>
/// <param name="Residuals">All residual statistics of the run, pooled.</param>
/// <param name="Pooled">The verifier's estimates and verdict on the pooled residuals (flagged, with no estimates, when no light came back).</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record SecureInferenceReport(
    int Images, int Correct, long Checks, long Accepted, ResidualStatistics Residuals, VerifierVerdict Pooled, TimeSpan Elapsed)
{
    /// <summary>What a dishonest client learned of the weights beyond its outputs; null for the honest device.</summary>
    public Interception? Knowledge { get; init; }

    /// <summary>Fraction classified correctly.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>Fraction of checks that accepted.</summary>
    public double AcceptRate => Checks == 0 ? 0 : (double)Accepted / Checks;

    /// <summary>Images per second through the protocol.</summary>
    public double ImagesPerSecond => Images / Elapsed.TotalSeconds;
}
