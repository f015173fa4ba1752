using System.Globalization;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// A dishonest client (PROTOCOL.md section 5): a composition of physical operations on the light
/// it really receives, in front of (or instead of) the honest device. Written NAME[:PARAM], e.g.
/// <c>tap:0.05</c>; <see cref="Device"/> builds the apparatus.
/// </summary>
/// <remarks>
/// Each attack describes its optics twice: mode by mode, as operations on Wigner samples
/// (<see cref="FrontEnd"/>), and for the sufficient-statistics path, as the Gaussian light that
/// reaches the device (<see cref="Incoming"/>); tests show the two draw from the same law.
/// </remarks>
public abstract partial record Attack
{
    private protected Attack()
    {
    }

    /// <summary>The canonical form NAME[:PARAM], which <see cref="Parse"/> reads back.</summary>
    public abstract string Spec { get; }

    /// <summary>
    /// The attacker's apparatus for a federation that announced gain <paramref name="announcedGain"/>,
    /// simulated by <paramref name="path"/>.
    /// </summary>
    public DishonestDevice Device(double announcedGain, SimulationPath path = SimulationPath.SufficientStatistics) => new(this, announcedGain, path);

    /// <summary>
    /// What the verifier should see of one row use of this attacker's light, for a federation of
    /// gain <paramref name="announcedGain"/> and <paramref name="photons"/> mean photons per mode,
    /// frames of <paramref name="modes"/> modes per row, behind a channel of transmission
    /// <paramref name="transmission"/>; for weights of equal mean square in every mode.
    /// </summary>
    public abstract ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission);

    /// <inheritdoc/>
    public sealed override string ToString() => Spec;

    /// <summary>The gain the device's amplifier really has.</summary>
    internal virtual double DeviceGain(double announcedGain) => announcedGain;

    /// <summary>False when the device keeps its light.</summary>
    internal virtual bool ReturnsLight => true;

    /// <summary>t of the light at the device's input, given the channel's: the attacker scales its estimates by it.</summary>
    internal virtual double TransmissionSeen(double transmission) => transmission;

    /// <summary>What the attacker heterodynes of each copy of <paramref name="light"/>; null when nothing.</summary>
    internal virtual Tapping? Taps(FrameLight light) => null;

    /// <summary>
    /// Mode by mode: the optics in front of the device for one use with input
    /// <paramref name="direction"/>; heterodyne outcomes go to row i's 2n' entries of
    /// <paramref name="outcomes"/> (quadrature units). Null for none.
    /// </summary>
    internal virtual DeviceOptics.FrontEnd? FrontEnd(FrameLight light, InputDirection direction, double[]? outcomes, NoiseSource noise) => null;

    /// <summary>
    /// Sufficient statistics: the light the same optics deliver to the device in a batch of uses,
    /// recording what the attacker measured in <paramref name="knowledge"/>.
    /// </summary>
    internal virtual IncomingLight Incoming(FrameLight light, InputBatch batch, FrameKnowledge? knowledge, NoiseSource noise) => new(light.Transmission);

    /// <summary><paramref name="value"/>, checked to be a fraction in (0, 1): what <paramref name="what"/> must be.</summary>
    private protected static double Fraction(double value, string name, string what) =>
        value is > 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{what} lies in (0, 1)");

    /// <summary>The parameter's canonical text.</summary>
    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
