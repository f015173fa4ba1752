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
        : this(id, packedWeights, rows, columns, scale, RowEnergies(packedWeights, rows, (columns + 1) / 2, scale))
    {
    }

    private FrameReference(FrameId id, float[] packedWeights, int rows, int columns, double scale, (double[] Rows, double Total) energy)
        : this(id, packedWeights, rows, columns, scale, energy.Rows, energy.Total)
    {
    }

    /// <summary>A reference whose row energies were computed once for every frame of one encoding; they are shared, never changed.</summary>
    internal FrameReference(FrameId id, float[] packedWeights, int rows, int columns, double scale, double[] rowEnergy, double totalPhotons)
    {
        Id = id;
        _packedWeights = packedWeights;
        Rows = rows;
        Columns = columns;
        Scale = scale;
        _rowEnergy = rowEnergy;
        TotalPhotons = totalPhotons;
    }

    /// <summary>The mean photons of each row, s^2 |w_i|^2, and of all rows.</summary>
    internal static (double[] Rows, double Total) RowEnergies(float[] packedWeights, int rows, int modes, double scale)
    {
        var energy = new double[rows];
        double total = 0;
        for (var i = 0; i < rows; i++)
        {
            var row = packedWeights.AsSpan(i * 2 * modes, 2 * modes);
            double sum = 0;
            foreach (var w in row) sum += (double)w * w;
            energy[i] = scale * scale * sum;
            total += energy[i];
        }
        return (energy, total);
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
