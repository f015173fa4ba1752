using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Federation.Privacy;

/// <summary>The optical settings of a federation's frames, which every leakage bound depends on.</summary>
/// <param name="Photons">Mean photon number per mode mu.</param>
/// <param name="Gain">The clients' amplifier gain G.</param>
/// <param name="Transmission">Transmission T of the server-to-client channel.</param>
public sealed record ChannelSettings(double Photons, double Gain, double Transmission = 1)
{
    /// <summary>
    /// The testbed's imperfections (docs/CONVENTIONS.md, "A real channel"): the clients' detectors, the
    /// return path to the verifier, the excess and phase noise at the clients' input. Ideal by default,
    /// under which every number is the ideal protocol's; the leakage bounds of the run still assume it ideal.
    /// </summary>
    public ChannelImperfections Imperfections { get; init; } = ChannelImperfections.Ideal;

    /// <summary>Checks the settings, with a message a user can act on.</summary>
    public ChannelSettings Validated()
    {
        if (!(Photons > 0) || double.IsInfinity(Photons)) throw new ArgumentException($"the photon number must be positive; got {Photons}");
        _ = new DeviceNoise(Gain);
        if (Transmission is <= 0 or > 1) throw new ArgumentException($"the transmission must be in (0, 1]; got {Transmission}");
        try
        {
            Imperfections.Validated();
        }
        catch (ArgumentOutOfRangeException e)
        {
            var rule = e.Message.Split(" (Parameter")[0];
            throw new ArgumentException($"{rule}; got {e.ActualValue}", e);
        }
        return this;
    }
}
