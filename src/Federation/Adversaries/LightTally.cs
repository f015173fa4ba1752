using QSI.Federation.Models;
using QSI.Protocol.Encoding;
using QSI.Protocol.Leakage;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The light behind an extractor's estimates, and the Holevo bounds on what it can reveal
/// (PROTOCOL.md section 4): per frame as the weight account charges it, and the tightest bound,
/// which takes every copy of the same weights in a round as one coherent state.
/// </summary>
/// <remarks>
/// Frames of one layer and orientation, within one round, with the same announced mean square and
/// transmission are taken to carry the same W; their copies, at whatever photon numbers, are then
/// copies of one coherent state up to scale, which a beam-splitter network gathers into one state
/// of their summed photons (docs/FEDERATED.md, "Leakage accounting"). Different frames, rounds and
/// orientations add, by subadditivity.
/// </remarks>
internal sealed class LightTally(ModelShape shape, double gain)
{
    private readonly List<Dictionary<FrameId, FrameUses>> _rounds = [[]];

    /// <summary>Records <paramref name="count"/> measured copies of <paramref name="frame"/>.</summary>
    public void Record(int layer, FrameOrientation orientation, CoherentFrame frame, int count)
    {
        var round = _rounds[^1];
        round[frame.Id] = round.TryGetValue(frame.Id, out var uses)
            ? uses with { Copies = uses.Copies + count }
            : new FrameUses(layer, orientation, frame.Rows, frame.Modes, frame.Photons, frame.Transmission, MeanSquare(frame), count);
    }

    /// <summary>Starts a round; with <paramref name="forget"/>, the earlier light no longer counts.</summary>
    public void NewRound(bool forget)
    {
        if (forget) _rounds.Clear();
        _rounds.Add([]);
    }

    /// <summary>Copies of <paramref name="layer"/>'s frames of <paramref name="orientation"/> that count.</summary>
    public long Copies(int layer, FrameOrientation orientation) =>
        _rounds.SelectMany(r => r.Values).Where(u => u.Layer == layer && u.Orientation == orientation).Sum(u => u.Copies);

    /// <summary>
    /// What <see cref="Privacy.LeakageCost"/> charges under coherent accounting for the frames of
    /// <paramref name="layer"/> (of orientation <paramref name="only"/>, if given): each frame's copies as one state.
    /// </summary>
    public double AccountBitsPerWeight(int layer, FrameOrientation? only = null) =>
        _rounds.SelectMany(r => r.Values).Where(u => Counts(u, layer, only))
            .Sum(u => FrameBits(u.Rows, u.Modes, u.Copies * u.Photons, u.Transmission)) / Parameters(layer);

    /// <summary>The tightest valid bound on the same frames: every copy of the same weights within a round as one state.</summary>
    public double TightestBitsPerWeight(int layer, FrameOrientation? only = null) =>
        _rounds.Sum(round => round.Values.Where(u => Counts(u, layer, only))
            .GroupBy(u => (u.Orientation, u.Rows, u.Modes, u.MeanSquare, u.Transmission))
            .Sum(same => FrameBits(same.Key.Rows, same.Key.Modes, same.Sum(u => u.Copies * u.Photons), same.Key.Transmission)))
        / Parameters(layer);

    private static bool Counts(FrameUses uses, int layer, FrameOrientation? only) =>
        uses.Layer == layer && (only is null || uses.Orientation == only);

    // A frame of m rows of n' modes, its copies' photons gathered: m n' I_w(photons, T, eps0/n') (section 4).
    private double FrameBits(int rows, int modes, double photons, double transmission) =>
        (double)rows * modes * LeakageBounds.WeightBitsPerMode(gain, photons, modes, transmission);

    private double Parameters(int layer) => (double)shape.Sizes[layer + 1] * (shape.Sizes[layer] + (shape.Bias ? 1 : 0));

    /// <summary>The frame's announced mean square weight, mu / (2 s^2) (section 3, step 1).</summary>
    public static double MeanSquare(CoherentFrame frame) => frame.Photons / (2 * frame.Scale * frame.Scale);

    private sealed record FrameUses(int Layer, FrameOrientation Orientation, int Rows, int Modes, double Photons, double Transmission, double MeanSquare, long Copies);
}
