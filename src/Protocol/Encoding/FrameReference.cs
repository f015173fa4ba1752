namespace QSI.Protocol.Encoding;

/// <summary>
/// What the server (and the verifier acting for it) keeps of an encoded frame: the reference
/// amplitudes alpha against which returned light is compared (PROTOCOL.md section 3, step 6).
/// </summary>
public sealed class FrameReference
{
    private readonly float[] _packedWeights;
    private readonly double[] _rowEnergy;

    internal FrameReference(FrameId id, float[] packedWeights, int rows, int columns, double scale)
    {
        Id = id;
        _packedWeights = packedWeights;
        Rows = rows;
        Columns = columns;
        Scale = scale;
        _rowEnergy = new double[rows];
        var modes = Modes;
        for (var i = 0; i < rows; i++)
        {
            var row = packedWeights.AsSpan(i * 2 * modes, 2 * modes);
            double sum = 0;
            foreach (var w in row) sum += (double)w * w;
            _rowEnergy[i] = scale * scale * sum;
            TotalPhotons += _rowEnergy[i];
        }
    }

    /// <summary>The frame this reference belongs to.</summary>
    public FrameId Id { get; }

    /// <summary>Number of rows m.</summary>
    public int Rows { get; }

    /// <summary>Number of real weights per row n.</summary>
    public int Columns { get; }

    /// <summary>Modes per row n'.</summary>
    public int Modes => (Columns + 1) / 2;

    /// <summary>The announced scale s.</summary>
    public double Scale { get; }

    /// <summary>Mean photons of all rows, sum_i |alpha_i|^2.</summary>
    public double TotalPhotons { get; }

    /// <summary>Mean photons per row, |alpha_i|^2 = s^2 |w_i|^2.</summary>
    public double RowPhotons(int i) => _rowEnergy[i];

    /// <summary>All rows' packed weights, row after row.</summary>
    internal ReadOnlySpan<float> PackedWeights => _packedWeights;

    /// <summary>Reference amplitudes of row i as packed weights (alpha = s w).</summary>
    internal ReadOnlySpan<float> Row(int i) => _packedWeights.AsSpan(i * 2 * Modes, 2 * Modes);
}
