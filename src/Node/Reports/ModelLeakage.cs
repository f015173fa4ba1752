using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Protocol.Leakage;
using QSI.Protocol.Optics;

namespace QSI.Node.Reports;

/// <summary>
/// Leakage bounds of one use of a model's first layer, the one with the most inputs in the
/// networks we train (784 pixels), so the one whose frames carry the most modes per row.
/// </summary>
/// <param name="Modes">Modes n' per row of the first layer's frame (a bias counts as one more input).</param>
/// <param name="WeightBitsPerMode">Holevo bound I_w per mode, bits.</param>
/// <param name="WeightBitsPerWeight">I_w / 2, bits per real weight.</param>
/// <param name="DataBits">Cramér-Rao bound I_x per data element (sigma^4 form), bits.</param>
internal sealed record ModelLeakage(int Modes, double WeightBitsPerMode, double WeightBitsPerWeight, double DataBits)
{
    /// <summary>The bounds for <paramref name="model"/> at the run's photon number, gain and transmission.</summary>
    public static ModelLeakage For(Mlp model, double photons, double gain, double transmission, ChannelImperfections? channel = null)
        // Columns as encoded, so a bias folded in as a constant input is counted.
        => ForModes(LeakageBounds.ModesFor(new OpticalNetwork(model).Columns(0)), photons, gain, transmission, channel);

    /// <summary>
    /// The bounds for a first layer of <paramref name="modes"/> modes per row, as a client learns
    /// it from the frames it receives, without the model.
    /// </summary>
    /// <remarks>Behind a real <paramref name="channel"/> the weight bound charges its return loss, excess and phase noise to the client (docs/CONVENTIONS.md, "A real channel"); the data bound is unchanged.</remarks>
    public static ModelLeakage ForModes(int modes, double photons, double gain, double transmission, ChannelImperfections? channel = null)
    {
        var perMode = channel is null || channel.IsIdeal
            ? LeakageBounds.WeightBitsPerMode(gain, photons, modes, transmission)
            : ChannelNoiseLeakage.WeightBitsPerMode(gain, photons, modes, transmission, channel);
        return new ModelLeakage(modes, perMode, perMode / 2, LeakageBounds.DataBits(gain, modes, FisherDenominator.SigmaFourth));
    }
}
