namespace QSI.Protocol.Encoding;

/// <summary>
/// One layer's weights packed and scaled once (<see cref="WeightEncoder.Prepare"/>), from which the
/// server issues the frames of many clients: every frame issued has an identity of its own and
/// its own count of copies, each copy measurable once (<see cref="CoherentFrame"/>), and its own
/// reference for the verifier. The frames share the packed amplitudes, which nobody outside this
/// assembly can read or change, so a thousand clients of a round cost one encoding, not a thousand.
/// </summary>
public sealed class FrameEncoding
{
    private readonly float[] _packedWeights;
    private readonly double[] _rowEnergy;
    private readonly double _totalPhotons;

    internal FrameEncoding(float[] packedWeights, int rows, int columns, double scale, double photons)
    {
        _packedWeights = packedWeights;
        Rows = rows;
        Columns = columns;
        Scale = scale;
        Photons = photons;
        (_rowEnergy, _totalPhotons) = FrameReference.RowEnergies(packedWeights, rows, (columns + 1) / 2, scale);
    }

    /// <summary>Number of rows m.</summary>
    public int Rows { get; }

    /// <summary>Number of real weights per row n.</summary>
    public int Columns { get; }

    /// <summary>The announced amplitude scale s.</summary>
    public double Scale { get; }

    /// <summary>Mean photon number per mode mu.</summary>
    public double Photons { get; }

    /// <summary>Bytes the packed amplitudes hold, shared by every frame issued.</summary>
    public long Bytes => _packedWeights.LongLength * sizeof(float);

    /// <summary>A fresh frame of this encoding, of <paramref name="copies"/> copies, with its reference.</summary>
    public EncodedLayer Issue(int copies)
    {
        if (copies <= 0) throw new ArgumentOutOfRangeException(nameof(copies), copies, "a frame needs at least one copy");
        var id = FrameId.Next();
        return new EncodedLayer(
            new CoherentFrame(id, _packedWeights, Rows, Columns, Scale, Photons, copies),
            new FrameReference(id, _packedWeights, Rows, Columns, Scale, _rowEnergy, _totalPhotons));
    }
}
