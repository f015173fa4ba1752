namespace QSI.Federation.Models;

/// <summary>
/// Scratch for one-sample inference: two ping-pong buffers as wide as the widest layer. A workspace
/// must not be used by two threads at once; <see cref="Mlp.Forward(ReadOnlySpan{float}, Span{float})"/>
/// keeps one per thread so callers rarely need to create one.
/// </summary>
public sealed class MlpWorkspace
{
    /// <summary>Creates scratch able to run any network whose layers are at most <paramref name="maxWidth"/> wide.</summary>
    public MlpWorkspace(int maxWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWidth);
        Front = new float[maxWidth];
        Back = new float[maxWidth];
    }

    /// <summary>Widest layer output this workspace can hold.</summary>
    public int MaxWidth => Front.Length;

    internal float[] Front { get; }

    internal float[] Back { get; }
}
