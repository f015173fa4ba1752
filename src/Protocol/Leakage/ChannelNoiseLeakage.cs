using QSI.Protocol.Client;

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
}
