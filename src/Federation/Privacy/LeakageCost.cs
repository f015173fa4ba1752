using QSI.Federation.Models;
using QSI.Protocol.Leakage;

namespace QSI.Federation.Privacy;

/// <summary>How the weight leakage of many uses of one frame is bounded (docs/FEDERATED.md, "Leakage accounting").</summary>
public enum WeightAccounting
{
    /// <summary>
    /// K copies of one frame are K copies of the same coherent state, which a beam-splitter network
    /// turns into one state of K times the photons and K - 1 vacua: they reveal at most the Holevo
    /// bound of one use at K mu. Tight, and grows as log K.
    /// </summary>
    Coherent,

    /// <summary>K uses leak at most K times one use's bound (PROTOCOL.md section 4): simple, and loose by a factor that grows with K.</summary>
    Linear,
}

/// <summary>
/// What one task's frames cost, layer by layer (PROTOCOL.md section 4, accumulation). Across
/// frames (the forward and transposed frames of a layer, the frames of different rounds) the
/// costs add, by subadditivity of the Holevo quantity.
/// </summary>
/// <remarks>
/// Weights: a use of a frame with m rows of n' modes leaks at most m n' I_w(mu, T, eps0/n') bits
/// of its layer; K uses of the same frame at most m n' I_w(K mu, T, eps0/n') under
/// <see cref="WeightAccounting.Coherent"/>, or K times one use's under <see cref="WeightAccounting.Linear"/>.
/// A layer's bits are divided by its parameters: for one forward use of an even-width layer that is
/// the paper's I_w/2 per weight. Data: every sample passes each frame once per pass over the data, so
/// each element of its vector is charged one use's bound per pass, <see cref="LeakageBounds.DataBitsPerUse"/>
/// with the M rows of the frame that all reuse the vector (the paper's I_x(G, n') counts n'
/// measurements, and a curious server beats it when M is large against n': docs/SECURITY.md), as
/// though the vector were the same each time (an upper bound: hidden activations and gradients
/// change between passes).
/// </remarks>
public static class LeakageCost
{
    /// <summary>
    /// The cost of <paramref name="forwardUses"/> uses of every layer's frame and
    /// <paramref name="backwardUses"/> uses of every transposed frame (layers above the first),
    /// each sample passing them <paramref name="passesPerSample"/> times.
    /// </summary>
    public static LayerLeakage[] Of(ModelShape shape, ChannelSettings channel, long forwardUses, long backwardUses, int passesPerSample,
        WeightAccounting accounting = WeightAccounting.Coherent)
    {
        var cost = new LayerLeakage[shape.Depth];
        for (var l = 0; l < shape.Depth; l++)
        {
            int rows = shape.Sizes[l + 1], columns = shape.Sizes[l] + (shape.Bias ? 1 : 0);
            var forwardModes = LeakageBounds.ModesFor(columns);
            var bits = FrameBits(rows, forwardModes, forwardUses, channel, accounting);
            var input = forwardUses > 0 ? passesPerSample * LeakageBounds.DataBitsPerUse(channel.Gain, forwardModes, rows) : 0;
            double gradient = 0;
            if (l > 0 && backwardUses > 0)
            {
                var backwardModes = LeakageBounds.ModesFor(rows);
                bits += FrameBits(shape.Sizes[l], backwardModes, backwardUses, channel, accounting);
                gradient = passesPerSample * LeakageBounds.DataBitsPerUse(channel.Gain, backwardModes, shape.Sizes[l]);
            }
            cost[l] = new LayerLeakage(bits / ((double)rows * columns), input, gradient);
        }
        return cost;
    }

    /// <summary>The Holevo bound on <paramref name="uses"/> uses of one frame of <paramref name="rows"/> x <paramref name="modes"/> modes.</summary>
    private static double FrameBits(int rows, int modes, long uses, ChannelSettings channel, WeightAccounting accounting)
    {
        if (uses == 0) return 0;
        // Behind a real channel, its loss and noise are charged to the client (ChannelNoiseLeakage).
        var (transmission, excess) = ChannelNoiseLeakage.SeenByVerifier(channel.Gain, channel.Photons, modes, channel.Transmission, channel.Imperfections);
        var perMode = accounting == WeightAccounting.Coherent
            ? LeakageBounds.HolevoBitsPerMode(uses * channel.Photons, transmission, excess)
            : uses * LeakageBounds.HolevoBitsPerMode(channel.Photons, transmission, excess);
        return (double)rows * modes * perMode;
    }
}
