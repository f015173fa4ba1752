using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// Tap (PROTOCOL.md section 5): a beam splitter of reflectivity r on every mode before U_x; the
/// tapped light is heterodyned, the rest goes through the honest device. The attacker knows r
/// and scales its estimates for t = T(1 - r), so they stay unbiased; the verifier sees the
/// returned amplitude fall by sqrt(1 - r).
/// </summary>
public sealed record Tap : Attack
{
    /// <summary>A tap of reflectivity <paramref name="reflectivity"/>, in (0, 1).</summary>
    public Tap(double reflectivity)
    {
        Reflectivity = Fraction(reflectivity, nameof(reflectivity), "a tap's reflectivity");
    }

    /// <summary>Fraction r of the power tapped from every mode.</summary>
    public double Reflectivity { get; }

    /// <inheritdoc/>
    public override string Spec => $"tap:{Format(Reflectivity)}";

    /// <inheritdoc/>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission) =>
        ExpectedResidual.Honest(announcedGain, transmission * (1 - Reflectivity));

    internal override double TransmissionSeen(double transmission) => transmission * (1 - Reflectivity);

    internal override Tapping? Taps(FrameLight light) => new(light.Transmission * Reflectivity, 0);

    internal override DeviceOptics.FrontEnd FrontEnd(FrameLight light, InputDirection direction, double[]? outcomes, NoiseSource noise) =>
        (row, modes) => TapRow(modes, Reflectivity, outcomes!.AsSpan(row * 2 * modes.Count, 2 * modes.Count), noise);

    internal override IncomingLight Incoming(FrameLight light, InputBatch batch, FrameKnowledge? knowledge, NoiseSource noise)
    {
        // The tapped and transmitted ports of coherent light are independent coherent states, so
        // the attacker's outcomes need not be drawn with the device's: they are pooled when asked.
        knowledge!.AddUndrawn(batch.Count, noise);
        return new IncomingLight(TransmissionSeen(light.Transmission));
    }

    /// <summary>Splits <paramref name="reflectivity"/> off every mode and heterodynes it into <paramref name="outcomes"/>.</summary>
    internal static double TapRow(LightModes modes, double reflectivity, Span<double> outcomes, NoiseSource noise)
    {
        var (x, p) = Detection.Heterodyne(modes.SplitOffAll(reflectivity, noise), noise);
        for (var j = 0; j < x.Length; j++) (outcomes[2 * j], outcomes[2 * j + 1]) = (x[j], p[j]);
        return 0;
    }
}
