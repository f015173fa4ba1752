using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// The light a client sends back after a use of a frame (PROTOCOL.md section 3, step 5).
/// It can be measured once, by the verifier, against the frame's reference.
/// </summary>
public abstract class ReturnedLight
{
    private int _measured;

    private protected ReturnedLight(FrameId frame, int rows, int modes)
    {
        Frame = frame;
        Rows = rows;
        Modes = modes;
    }

    /// <summary>The frame whose light this is.</summary>
    public FrameId Frame { get; }

    /// <summary>Rows m returned.</summary>
    public int Rows { get; }

    /// <summary>Modes per row n'.</summary>
    public int Modes { get; }

    /// <summary>
    /// Heterodynes every returned mode and correlates the outcomes with the reference
    /// amplitudes. Measures the light, so it can be called once.
    /// </summary>
    public ResidualStatistics MeasureHeterodyne(FrameReference reference, NoiseSource noise)
    {
        if (reference.Id != Frame)
            throw new ArgumentException($"returned light of frame {Frame} cannot be checked against the reference of frame {reference.Id}", nameof(reference));
        if (reference.Rows != Rows || reference.Modes != Modes)
            throw new ArgumentException($"returned light has {Rows}x{Modes} modes; frame {Frame} has {reference.Rows}x{reference.Modes}", nameof(reference));
        if (Interlocked.Exchange(ref _measured, 1) == 1)
            throw new InvalidOperationException($"returned light of frame {Frame} was already measured: light can be measured only once");
        return Heterodyne(reference, noise);
    }

    /// <summary>Marks the light as gone (sent away); it can then be neither measured nor sent again.</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _measured, 1) == 1)
            throw new InvalidOperationException($"returned light of frame {Frame} was already measured or sent: light exists once");
    }

    private protected abstract ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise);
}
