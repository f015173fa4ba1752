using QSI.Protocol.Randomness;
using QSI.Protocol.Encoding;

namespace QSI.Protocol.Verification;

/// <summary>
/// Light of several uses of one frame that does not merge into one Gaussian description (the
/// per-mode path, or uses of differing devices): measured part by part, its statistics summed.
/// </summary>
internal sealed class CombinedReturnedLight(IReadOnlyList<ReturnedLight> parts)
    : ReturnedLight(parts[0].Frame, parts[0].Rows, parts[0].Modes, parts.Sum(p => p.Uses))
{
    internal IReadOnlyList<ReturnedLight> Parts => parts;

    private protected override ReturnedLight Transmitted(double transmission, double addedNoise, NoiseSource noise) =>
        new CombinedReturnedLight([.. parts.Select(part => part.TransmittedPart(transmission, addedNoise, noise))]);

    private protected override ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise) =>
        parts.Aggregate(ResidualStatistics.None, (sum, part) => sum + part.MeasurePart(reference, noise));
}
