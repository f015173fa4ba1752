using QSI.Protocol.Client;
using QSI.Protocol.Leakage;

namespace QSI.Node.Reports;

/// <summary>
/// What each party learns from one use of a layer (PROTOCOL.md section 4), as <c>qsi leakage</c> reports it.
/// </summary>
/// <param name="WeightBitsPerMode">Holevo bound I_w on the weight information of one mode, bits.</param>
/// <param name="WeightBitsPerWeight">I_w / 2: two real weights share a mode.</param>
/// <param name="DataBits">Cramér-Rao bound I_x per data element, with sigma^4 as derived.</param>
/// <param name="DataBitsConservative">The authors' conservative I_x for <paramref name="Rows"/> rows reusing the input.</param>
/// <param name="DataBitsPerUse">
/// What the leakage account charges per element for one use with <paramref name="Rows"/> rows reusing the
/// input: no curious-server estimator of ours learns more (docs/SECURITY.md); the paper's figures above
/// are each beaten by one when the rows are many against the modes.
/// </param>
/// <param name="Kappa">kappa(G) = G(G-1)/(2G^2 - 3G + 2), the client's SNR per photon.</param>
/// <param name="F">Signal factor F = 2 mu kappa(G) of the client's measurement.</param>
/// <param name="Gain">Amplifier gain G.</param>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="Modes">Modes n' per row.</param>
/// <param name="Transmission">Channel transmission T.</param>
/// <param name="Rows">Rows M that reuse one input, for the conservative data bound.</param>
internal sealed record LeakageReport(
    double WeightBitsPerMode,
    double WeightBitsPerWeight,
    double DataBits,
    double DataBitsConservative,
    double DataBitsPerUse,
    double Kappa,
    double F,
    double Gain,
    double Photons,
    int Modes,
    double Transmission,
    int Rows)
{
    /// <summary>Evaluates the bounds for one layer use.</summary>
    public static LeakageReport Compute(double gain, double photons, int modes, double transmission, int rows)
    {
        var device = new DeviceNoise(gain);
        var weightBitsPerMode = LeakageBounds.WeightBitsPerMode(gain, photons, modes, transmission);
        return new LeakageReport(
            weightBitsPerMode,
            weightBitsPerMode / 2,
            LeakageBounds.DataBits(gain, modes, FisherDenominator.SigmaFourth),
            LeakageBounds.DataBitsConservative(gain, modes, rows),
            LeakageBounds.DataBitsPerUse(gain, modes, rows),
            device.Kappa,
            device.SignalFactor(photons),
            gain,
            photons,
            modes,
            transmission,
            rows);
    }
}
