using QSI.Protocol.Client;

namespace QSI.Protocol.Verification;

/// <summary>
/// What the verifier should measure, on average, of one row use of the light a device returns:
/// the estimates its statistics converge to, for predictions of detection (PROTOCOL.md section 5).
/// </summary>
/// <param name="Transmission">T-hat: the squared ratio of the returned amplitudes to the reference.</param>
/// <param name="ExcessNoise">eps-hat: the excess noise per row use, in SNU (honest: eps0 = (2G-2)/G).</param>
/// <param name="ExcessInEveryMode">
/// The part of the excess that falls alike on every quadrature of every mode, per quadrature (SNU);
/// the rest of <paramref name="ExcessNoise"/>, ExcessNoise - n' times this, sits along the input direction.
/// </param>
/// <param name="ReturnsLight">False when the device returns no light: there is nothing to measure.</param>
public sealed record ExpectedResidual(double Transmission, double ExcessNoise, double ExcessInEveryMode = 0, bool ReturnsLight = true)
{
    /// <summary>The honest device of gain <paramref name="gain"/> behind a channel of transmission <paramref name="transmission"/>.</summary>
    public static ExpectedResidual Honest(double gain, double transmission) => new(transmission, new DeviceNoise(gain).ExcessNoise);

    /// <summary>No light returned.</summary>
    public static ExpectedResidual Nothing { get; } = new(0, 0, 0, ReturnsLight: false);
}
