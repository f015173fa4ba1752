using System.Numerics.Tensors;

namespace QSI.Protocol.Client;

/// <summary>
/// The client's input z as the unit vector x = z/|z| packed two values per mode, together
/// with its norm (PROTOCOL.md section 3, step 2).
/// </summary>
/// <remarks>
/// An all-zero input has no direction; the client then uses the first mode (any unit vector
/// would do) and its estimate is exactly zero.
/// </remarks>
internal sealed class InputDirection
{
    public InputDirection(ReadOnlySpan<float> input, int modes)
    {
        Unit = new float[2 * modes];
        Norm = Normalize(input, Unit);
    }

    /// <summary>|z|.</summary>
    public double Norm { get; }

    /// <summary>x = z/|z| as packed (re, im) pairs.</summary>
    public float[] Unit { get; }

    /// <summary>x_j as a complex number.</summary>
    public System.Numerics.Complex Mode(int j) => new(Unit[2 * j], Unit[2 * j + 1]);

    /// <summary>The unitary U_x whose first output mode is x^dagger a.</summary>
    public Optics.InputUnitary Unitary()
    {
        var unit = new System.Numerics.Complex[Unit.Length / 2];
        for (var j = 0; j < unit.Length; j++) unit[j] = Mode(j);
        return new Optics.InputUnitary(unit);
    }

    /// <summary>
    /// Writes x = z/|z| into <paramref name="unit"/> (2n' floats, zero-padded) and returns |z|.
    /// </summary>
    public static double Normalize(ReadOnlySpan<float> input, Span<float> unit)
    {
        if (input.Length > unit.Length)
            throw new ArgumentException($"input has {input.Length} values; the frame takes at most {unit.Length}", nameof(input));
        unit.Clear();
        var norm = TensorPrimitives.Norm(input);
        if (norm == 0)
            unit[0] = 1;
        else
            TensorPrimitives.Divide(input, norm, unit[..input.Length]);
        return norm;
    }
}
