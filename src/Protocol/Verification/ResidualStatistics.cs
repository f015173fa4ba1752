namespace QSI.Protocol.Verification;

/// <summary>
/// Sufficient statistics of the verifier's heterodyne measurement of returned light against
/// the reference amplitudes: with H the measured quadratures and A = (2 Re alpha, 2 Im alpha)
/// the reference, Correlation = sum H.A, Energy = sum H^2, ReferenceEnergy = sum A^2.
/// Statistics of independent uses add.
/// </summary>
/// <param name="Dimensions">Real quadratures measured (two per mode).</param>
/// <param name="Uses">Row uses (rows of frames) measured; each carries one device's excess.</param>
/// <param name="ReferenceEnergy">sum A^2.</param>
/// <param name="Correlation">sum H.A.</param>
/// <param name="Energy">sum H^2.</param>
public readonly record struct ResidualStatistics(
    long Dimensions, long Uses, double ReferenceEnergy, double Correlation, double Energy)
{
    /// <summary>Statistics of nothing measured.</summary>
    public static ResidualStatistics None => default;

    /// <summary>Pools two independent sets of measurements.</summary>
    public static ResidualStatistics operator +(ResidualStatistics a, ResidualStatistics b) => new(
        a.Dimensions + b.Dimensions, a.Uses + b.Uses, a.ReferenceEnergy + b.ReferenceEnergy,
        a.Correlation + b.Correlation, a.Energy + b.Energy);
}
