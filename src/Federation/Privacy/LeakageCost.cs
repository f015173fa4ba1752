using QSI.Federation.Models;
using QSI.Protocol.Leakage;

namespace QSI.Federation.Privacy;

/// <summary>
/// What one task's frames cost, layer by layer, under the linear accumulation of PROTOCOL.md
/// section 4: K measured uses leak at most K times one use's bound.
/// </summary>
/// <remarks>
/// Weights: a use of a frame with m rows of n' modes leaks at most m n' I_w(mu, T, eps0/n') bits
/// of its layer; a layer's forward frame and its transposed frame are charged together and
/// divided by the layer's parameters, which for one forward use of an even-width layer is the
/// paper's I_w/2 per weight. Data: every sample passes each frame once per pass over the data,
/// so each element of its vector is charged one use's Cramér-Rao bound I_x(G, n') per pass,
/// as though the vector were the same each time (an upper bound: hidden activations and
/// gradients change between passes).
/// </remarks>
public static class LeakageCost
{
    /// <summary>
    /// The cost of <paramref name="forwardUses"/> uses of every layer's frame and
    /// <paramref name="backwardUses"/> uses of every transposed frame (layers above the first),
    /// each sample passing them <paramref name="passesPerSample"/> times.
    /// </summary>
    public static LayerLeakage[] Of(ModelShape shape, ChannelSettings channel, long forwardUses, long backwardUses, int passesPerSample)
    {
        var cost = new LayerLeakage[shape.Depth];
        for (var l = 0; l < shape.Depth; l++)
        {
            int rows = shape.Sizes[l + 1], columns = shape.Sizes[l] + (shape.Bias ? 1 : 0);
            var forwardModes = LeakageBounds.ModesFor(columns);
            var bits = forwardUses * (double)rows * forwardModes * LeakageBounds.WeightBitsPerMode(channel.Gain, channel.Photons, forwardModes, channel.Transmission);
            var input = forwardUses > 0 ? passesPerSample * LeakageBounds.DataBits(channel.Gain, forwardModes) : 0;
            double gradient = 0;
            if (l > 0 && backwardUses > 0)
            {
                var backwardModes = LeakageBounds.ModesFor(rows);
                bits += backwardUses * (double)shape.Sizes[l] * backwardModes * LeakageBounds.WeightBitsPerMode(channel.Gain, channel.Photons, backwardModes, channel.Transmission);
                gradient = passesPerSample * LeakageBounds.DataBits(channel.Gain, backwardModes);
            }
            cost[l] = new LayerLeakage(bits / ((double)rows * columns), input, gradient);
        }
        return cost;
    }
}
