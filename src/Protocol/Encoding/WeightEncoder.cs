namespace QSI.Protocol.Encoding;

/// <summary>A layer encoded for sending: the light for the client and the reference kept by the server.</summary>
public sealed record EncodedLayer(CoherentFrame Light, FrameReference Reference);

/// <summary>
/// The server's encoder: packs each row's real weights two per mode and scales them so that
/// the mean photon number per mode is mu (PROTOCOL.md section 3, step 1).
/// </summary>
public static class WeightEncoder
{
    /// <summary>
    /// Encodes the m x n row-major matrix <paramref name="weights"/> at <paramref name="photons"/>
    /// mean photons per mode, as <paramref name="copies"/> copies of the same light.
    /// </summary>
    public static EncodedLayer Encode(ReadOnlySpan<float> weights, int rows, int columns, double photons, int copies = 1)
    {
        if (copies <= 0) throw new ArgumentOutOfRangeException(nameof(copies), copies, "a frame needs at least one copy");
        return Prepare(weights, rows, columns, photons).Issue(copies);
    }

    /// <summary>
    /// Encodes the m x n row-major matrix <paramref name="weights"/> at <paramref name="photons"/>
    /// mean photons per mode once, for as many frames as are issued from it (<see cref="FrameEncoding.Issue"/>).
    /// </summary>
    public static FrameEncoding Prepare(ReadOnlySpan<float> weights, int rows, int columns, double photons)
    {
        if (rows <= 0 || columns <= 0) throw new ArgumentOutOfRangeException(nameof(rows), "a frame needs at least one row and one column");
        if (weights.Length != rows * columns)
            throw new ArgumentException($"weights hold {weights.Length} values; a {rows}x{columns} layer needs {rows * columns}", nameof(weights));
        if (!(photons > 0) || double.IsInfinity(photons)) throw new ArgumentOutOfRangeException(nameof(photons), photons, "mean photon number must be positive");

        var modes = (columns + 1) / 2;
        var packed = new float[rows * 2 * modes];
        double sumSquares = 0;
        for (var i = 0; i < rows; i++)
        {
            var source = weights.Slice(i * columns, columns);
            source.CopyTo(packed.AsSpan(i * 2 * modes, columns));
            foreach (var w in source) sumSquares += (double)w * w;
        }
        var meanSquare = sumSquares / (rows * (double)columns);
        if (meanSquare == 0) throw new ArgumentException("an all-zero layer cannot be encoded: its scale would be infinite", nameof(weights));
        var scale = Math.Sqrt(photons / (2 * meanSquare));
        return new FrameEncoding(packed, rows, columns, scale, photons);
    }

    /// <summary>
    /// Encodes the transpose of an m x n row-major matrix (its columns become rows), for the
    /// backward products W^T delta of federated training (PROTOCOL.md section 6).
    /// </summary>
    public static EncodedLayer EncodeTransposed(ReadOnlySpan<float> weights, int rows, int columns, double photons, int copies = 1)
    {
        if (copies <= 0) throw new ArgumentOutOfRangeException(nameof(copies), copies, "a frame needs at least one copy");
        return PrepareTransposed(weights, rows, columns, photons).Issue(copies);
    }

    /// <summary>The transpose of an m x n row-major matrix encoded once, as <see cref="Prepare"/> encodes a matrix.</summary>
    public static FrameEncoding PrepareTransposed(ReadOnlySpan<float> weights, int rows, int columns, double photons)
    {
        if (weights.Length != rows * columns)
            throw new ArgumentException($"weights hold {weights.Length} values; a {rows}x{columns} layer needs {rows * columns}", nameof(weights));
        var transposed = new float[weights.Length];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
                transposed[j * rows + i] = weights[i * columns + j];
        return Prepare(transposed, columns, rows, photons);
    }
}
