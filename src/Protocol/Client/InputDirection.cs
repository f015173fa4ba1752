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
        if (input.Length > 2 * modes)
            throw new ArgumentException($"input has {input.Length} values; the frame takes at most {2 * modes}", nameof(input));
        Unit = new float[2 * modes];
        Norm = TensorPrimitives.Norm(input);
        if (Norm == 0)
            Unit[0] = 1;
        else
            TensorPrimitives.Divide(input, (float)Norm, Unit.AsSpan(0, input.Length));
    }

    /// <summary>|z|.</summary>
    public double Norm { get; }

    /// <summary>x = z/|z| as packed (re, im) pairs.</summary>
    public float[] Unit { get; }

    /// <summary>x_j as a complex number.</summary>
    public System.Numerics.Complex Mode(int j) => new(Unit[2 * j], Unit[2 * j + 1]);
}
