using QSI.Protocol.Client;
using QSI.Protocol.Leakage;

namespace QSI.Node.Figures;

/// <summary>The bounds of PROTOCOL.md section 4 at one setting; the fields are also the columns of the figures' CSV files.</summary>
/// <param name="Gain">Amplifier gain G.</param>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="WeightBitsPerWeight">I_w / 2, bits per weight per use.</param>
/// <param name="DataBits">Cramér-Rao I_x per data element (sigma^4); it depends only on G and n'.</param>
/// <param name="WeightBitsPerMode">Holevo I_w per mode per use.</param>
/// <param name="Transmission">Channel transmission T.</param>
/// <param name="Excess">Excess noise per mode added to the device's eps0/n', SNU.</param>
/// <param name="Modes">Modes n' per row.</param>
/// <param name="SignalFactor">F = 2 mu kappa(G).</param>
internal sealed record LeakagePoint(
    double Gain, double Photons, double WeightBitsPerWeight, double DataBits, double WeightBitsPerMode,
    double Transmission, double Excess, int Modes, double SignalFactor)
{
    /// <summary>Evaluates the bounds through <see cref="ChannelNoiseLeakage"/> and <see cref="LeakageBounds"/>.</summary>
    public static LeakagePoint At(double gain, double photons, double transmission, double excess, int modes)
    {
        var perMode = ChannelNoiseLeakage.WeightBitsPerMode(gain, photons, modes, transmission, excess);
        return new LeakagePoint(
            gain, photons, perMode / 2, LeakageBounds.DataBits(gain, modes), perMode,
            transmission, excess, modes, new DeviceNoise(gain).SignalFactor(photons));
    }
}
