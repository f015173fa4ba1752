using QSI.Protocol.Encoding;

namespace QSI.Federation.Training;

/// <summary>
/// The light a client receives for one round of training: per layer, a frame of W_l for the
/// forward products and, above the first layer, a frame of W_l^T for the backward ones
/// (PROTOCOL.md section 6). The first layer needs no backward frame: the network's input
/// needs no gradient.
/// </summary>
/// <param name="Forward">Frames of W_l (a bias folded in as one more column), one per layer.</param>
/// <param name="Backward">Frames of W_l^T without the bias, one per layer; null for layer 0.</param>
public sealed record RoundFrames(IReadOnlyList<CoherentFrame> Forward, IReadOnlyList<CoherentFrame?> Backward);
