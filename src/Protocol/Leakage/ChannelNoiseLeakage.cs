using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Protocol.Leakage;

/// <summary>
/// The weight bound of PROTOCOL.md section 4 when the verifier sees more excess noise than the
/// honest device leaves: noise added on the way is charged to the client, like lost light.
/// </summary>
public static class ChannelNoiseLeakage
{
    /// <summary>
    /// Holevo bound I_w per mode for one use of a frame of <paramref name="modes"/> modes per row at
    /// gain G, transmission T and an added excess <paramref name="addedExcessPerMode"/> (SNU per mode)
    /// on top of the device's eps0/n': eps = eps0/n' + added. At added = 0 this is
    /// <see cref="LeakageBounds.WeightBitsPerMode"/>.
    /// </summary>
    public static double WeightBitsPerMode(double gain, double photons, int modes, double transmission, double addedExcessPerMode)
    {
        if (addedExcessPerMode < 0) throw new ArgumentOutOfRangeException(nameof(addedExcessPerMode), "added excess noise must be non-negative");
        if (modes < 1) throw new ArgumentOutOfRangeException(nameof(modes), "a row has at least one mode");
        return LeakageBounds.HolevoBitsPerMode(photons, transmission, new DeviceNoise(gain).ExcessNoise / modes + addedExcessPerMode);
    }

    /// <summary>
    /// The weight bound behind a real <paramref name="channel"/> (docs/CONVENTIONS.md, "A real channel"): evaluated at
    /// what the verifier measures at its input, T = T_ch exp(-sigma^2) T_ret and eps per mode = T_ret (eps0/n' + xi + phase
    /// excess), every loss and every noise charged to the client. The detectors are trusted and do not enter: the client's
    /// noise comes after its own measurement, the verifier's is calibrated and subtracted. The ideal channel gives
    /// <see cref="LeakageBounds.WeightBitsPerMode"/>.
    /// </summary>
    public static double WeightBitsPerMode(double gain, double photons, int modes, double transmission, ChannelImperfections channel)
    {
        var (seen, excess) = SeenByVerifier(gain, photons, modes, transmission, channel);
        return LeakageBounds.HolevoBitsPerMode(photons, seen, excess);
    }

    /// <summary>
    /// The transmission and the excess noise per mode (SNU) the weight bound is evaluated at behind
    /// <paramref name="channel"/>, for frames of <paramref name="photons"/> per mode:
    /// T_ch exp(-sigma^2) T_ret and T_ret (eps0/n' + xi + phase excess). The ideal channel gives
    /// T_ch and eps0/n' exactly, so the bound of an ideal channel is <see cref="LeakageBounds.WeightBitsPerMode"/> to the bit.
    /// </summary>
    public static (double Transmission, double Excess) SeenByVerifier(double gain, double photons, int modes, double transmission, ChannelImperfections channel)
    {
        if (modes < 1) throw new ArgumentOutOfRangeException(nameof(modes), "a row has at least one mode");
        channel.Validated();
        var device = new DeviceNoise(gain).ExcessNoise / modes;
        if (channel.PhaseNoise == 0 && channel.ExcessNoise == 0 && channel.ReturnTransmission == 1) return (transmission, device);
        var returned = channel.ReturnTransmission;
        return (transmission * channel.PhaseTransmission * returned, returned * (device + channel.ForwardNoise(transmission * photons)));
    }
}
