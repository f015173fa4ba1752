using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// Tap and re-amplify (PROTOCOL.md section 5): a tap of reflectivity r, then a phase-insensitive
/// amplifier of gain g = 1/(1 - r) on every mode, which restores the mean and adds 2(g - 1) =
/// 2r/(1 - r) SNU per quadrature in every mode: n' times that per row use, on top of eps0.
/// </summary>
public sealed record TapReamplify : Attack
{
    /// <summary>A tap of reflectivity <paramref name="reflectivity"/>, in (0, 1), and its re-amplification.</summary>
    public TapReamplify(double reflectivity)
    {
        Reflectivity = Fraction(reflectivity, nameof(reflectivity), "a tap's reflectivity");
    }

    /// <summary>Fraction r of the power tapped from every mode.</summary>
    public double Reflectivity { get; }

    /// <summary>Gain g = 1/(1 - r) of the amplifiers that restore the mean.</summary>
    public double Reamplification => 1 / (1 - Reflectivity);

    /// <summary>Quadrature variance of the light reaching the device: 2g - 1 (vacuum: 1).</summary>
    public double InputVariance => 2 * Reamplification - 1;

    /// <inheritdoc/>
    public override string Spec => $"tap-reamplify:{Format(Reflectivity)}";

    /// <inheritdoc/>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission)
    {
        var spread = InputVariance - 1;
        return new ExpectedResidual(transmission, new DeviceNoise(announcedGain).ExcessNoise + modes * spread, spread);
    }

    internal override Tapping? Taps(FrameLight light) => new(light.Transmission * Reflectivity, 0);

    internal override DeviceOptics.FrontEnd FrontEnd(FrameLight light, InputDirection direction, double[]? outcomes, NoiseSource noise) =>
        (row, modes) =>
        {
            Tap.TapRow(modes, Reflectivity, outcomes!.AsSpan(row * 2 * modes.Count, 2 * modes.Count), noise);
            modes.AmplifyAll(Reamplification, noise);
            return 0;
        };

    internal override IncomingLight Incoming(FrameLight light, InputBatch batch, FrameKnowledge? knowledge, NoiseSource noise)
    {
        knowledge!.AddUndrawn(batch.Count, noise);
        // sqrt(g) sqrt(T (1 - r)) = sqrt(T): the mean is restored; the variance is g + (g - 1).
        return new IncomingLight(light.Transmission, InputVariance);
    }
}
