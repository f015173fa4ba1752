using QSI.Protocol.Encoding;

namespace QSI.Protocol.Verification;

/// <summary>
/// How much light one check measures: D real dimensions, R row uses and S = sum A^2 of the
/// reference, the quantities the verifier's spreads depend on (see <see cref="ResidualVerifier"/>).
/// Sizes of frames measured together add.
/// </summary>
/// <param name="Dimensions">D = 2 sum m_l n'_l.</param>
/// <param name="RowUses">R = sum m_l.</param>
/// <param name="ReferenceEnergy">S = 4 sum_l |alpha_l|^2 = 4 sum_l mu m_l n_l / 2.</param>
public readonly record struct CheckSize(long Dimensions, long RowUses, double ReferenceEnergy)
{
    /// <summary>One use of the frame of <paramref name="reference"/>.</summary>
    public static CheckSize Of(FrameReference reference) =>
        new(2L * reference.Rows * reference.Modes, reference.Rows, 4 * reference.TotalPhotons);

    /// <summary>One use of a frame of <paramref name="rows"/> x <paramref name="columns"/> weights at <paramref name="photons"/> mean photons per mode.</summary>
    public static CheckSize ForLayer(int rows, int columns, double photons) =>
        new(2L * rows * ((columns + 1) / 2), rows, 2 * photons * rows * (double)columns);

    /// <summary>Frames measured together.</summary>
    public static CheckSize operator +(CheckSize a, CheckSize b) =>
        new(a.Dimensions + b.Dimensions, a.RowUses + b.RowUses, a.ReferenceEnergy + b.ReferenceEnergy);

    /// <summary><paramref name="frames"/> checks of this size pooled.</summary>
    public static CheckSize operator *(CheckSize size, long frames) =>
        new(size.Dimensions * frames, size.RowUses * frames, size.ReferenceEnergy * frames);
}
