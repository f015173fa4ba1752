using QSI.Federation.Training;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Rounds;

/// <summary>
/// What a client receives for a task: the frames of the global model (secure runs), or the
/// model's parameters in the clear (the plain baseline).
/// </summary>
public abstract record TaskLight;

/// <summary>The light of a secure task: per layer a frame of W_l, and of W_l^T above the first layer when training.</summary>
/// <param name="Frames">The frames.</param>
public sealed record OpticalTaskLight(RoundFrames Frames) : TaskLight
{
    /// <summary>Every frame, forward ones first and then transposed ones, each in layer order: the order of their residuals and references.</summary>
    public IEnumerable<CoherentFrame> All => Frames.Forward.Concat(Frames.Backward.OfType<CoherentFrame>());
}

/// <summary>The plain baseline's "light": the global parameters, flat in the order of <c>Mlp.Parameters</c>.</summary>
/// <param name="Parameters">The parameters.</param>
public sealed record ClearTaskLight(float[] Parameters) : TaskLight;
