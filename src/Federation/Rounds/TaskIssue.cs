using QSI.Federation.Privacy;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Rounds;

/// <summary>
/// A task the server has issued to a client: the task, its light, the references the verifier
/// checks the returned light against (in the order of <see cref="OpticalTaskLight.All"/>), the
/// uses each frame carries, and what the task costs in leakage.
/// </summary>
/// <param name="ClientId">The client.</param>
/// <param name="Task">The task.</param>
/// <param name="Light">Frames, or parameters for the plain baseline.</param>
/// <param name="References">References of the frames; empty for the plain baseline.</param>
/// <param name="Uses">Copies of each frame, in the order of the references.</param>
/// <param name="Cost">Leakage of the task per layer; null for the plain baseline.</param>
public sealed record TaskIssue(
    string ClientId, RoundTask Task, TaskLight Light, IReadOnlyList<FrameReference> References, IReadOnlyList<long> Uses,
    IReadOnlyList<LayerLeakage>? Cost);
