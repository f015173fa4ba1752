namespace QSI.Protocol.Client;

/// <summary>
/// The client's input z as the unit vector x = z/|z| packed two values per mode, together
/// with its norm (PROTOCOL.md section 3, step 2).
/// </summary>
/// <remarks>
/// b0 = sum_j conj(x_j) alpha_j, so Re b0 = s (w . x) and Im b0 = s (w . Jx) with
/// Jx = (-x1, x0, -x3, x2, ...): both are real dot products with the packed weights.
/// An all-zero input has no direction; the client then uses the first mode (any unit vector
/// would do) and its estimate is exactly zero.
/// </remarks>
internal sealed class InputDirection
{
    public InputDirection(ReadOnlySpan<float> input, int modes)
    {
        if (input.Length > 2 * modes)
            throw new ArgumentException($"input has {input.Length} values; the frame takes at most {2 * modes}", nameof(input));
        Unit = new float[2 * modes];
        Twisted = new float[2 * modes];
        double sum = 0;
        foreach (var v in input) sum += (double)v * v;
        Norm = Math.Sqrt(sum);
        if (Norm == 0)
            Unit[0] = 1;
        else
            for (var k = 0; k < input.Length; k++) Unit[k] = (float)(input[k] / Norm);
        for (var j = 0; j < modes; j++)
        {
            Twisted[2 * j] = -Unit[2 * j + 1];
            Twisted[2 * j + 1] = Unit[2 * j];
        }
    }

    /// <summary>|z|.</summary>
    public double Norm { get; }

    /// <summary>x = z/|z| as packed (re, im) pairs.</summary>
    public float[] Unit { get; }

    /// <summary>Jx, the packed i*x read as real pairs: w . Jx = Im(conj(x) . alpha)/s.</summary>
    public float[] Twisted { get; }

    /// <summary>x_j as a complex number.</summary>
    public System.Numerics.Complex Mode(int j) => new(Unit[2 * j], Unit[2 * j + 1]);
}
