using System.Globalization;

namespace QSI.Federation.Rounds;

/// <summary>
/// What the server accepts as a client's update: one finite value per parameter of the global
/// model, each within the aggregate's range once weighted by the update's samples
/// (<see cref="Strategies.FixedPointSum.Fits"/>), and, when <see cref="FederationSettings.MaxUpdateNorm"/> is set, an L2 norm no longer
/// than it. An update that fails is rejected (<see cref="ClientRoundStatus.Rejected"/>): it never
/// reaches the strategy, where one NaN would spread to every parameter of the model.
/// </summary>
/// <remarks>
/// Under secure aggregation the server never sees an update, only the unmasked mean of the
/// round's updates; <see cref="ProblemOfMean"/> checks what can be checked of it (docs/SECURITY.md).
/// </remarks>
public static class UpdateCheck
{
    /// <summary>
    /// Why <paramref name="delta"/>, trained on <paramref name="samples"/> samples, is not an acceptable
    /// update to a model of <paramref name="parameters"/> values under a norm limit of
    /// <paramref name="maxNorm"/> (none when null), in a sentence; null when it is.
    /// </summary>
    public static string? Problem(ReadOnlySpan<float> delta, int samples, long parameters, double? maxNorm)
    {
        if (delta.Length != parameters) return $"its update has {delta.Length} values; the model has {parameters}";
        var squares = 0.0;
        for (var k = 0; k < delta.Length; k++)
        {
            if (!float.IsFinite(delta[k])) return $"its update's value {k} is {delta[k].ToString(CultureInfo.InvariantCulture)}, not a finite number";
            squares += (double)delta[k] * delta[k];
        }
        if (!Strategies.FixedPointSum.Fits(delta, samples))
            return $"its update's values times its {samples} samples go beyond the aggregate's range of ±2^31";
        var norm = Math.Sqrt(squares);
        return norm <= (maxNorm ?? double.PositiveInfinity) ? null : $"its update's L2 norm {norm.ToString("G4", CultureInfo.InvariantCulture)} exceeds the limit of {maxNorm!.Value.ToString("G4", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Why the unmasked mean of a round's masked updates cannot be aggregated, in a sentence; null when it can.
    /// A mean of updates each within the norm limit is within it too, so a longer mean proves at least one
    /// update was too long, though not whose.
    /// </summary>
    public static string? ProblemOfMean(ReadOnlySpan<float> mean, long parameters, double? maxNorm) =>
        Problem(mean, 1, parameters, maxNorm) is { } problem
            ? $"the unmasked mean of the round's masked updates fails the check ({problem.Replace("its update", "the mean")}); the server cannot tell whose update caused it"
            : null;
}
