using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Client;

/// <summary>What a client obtains from one use of a frame: its estimates of W z, and the light it returns.</summary>
/// <param name="Outputs">Estimates y_i of (W z)_i, one per row.</param>
/// <param name="Residual">The returned light, for the verifier; null when the device returns none.</param>
public sealed record LayerMeasurement(float[] Outputs, ReturnedLight? Residual);

/// <summary>
/// A client's optical apparatus: whatever it does to a frame's light, it yields estimates of W z
/// and, unless it keeps it, light returned to the verifier. The honest apparatus is
/// <see cref="ClientDevice"/>; the dishonest ones of PROTOCOL.md section 5 are built by
/// <see cref="Attacks.Attack.Device"/>.
/// </summary>
public interface IClientDevice
{
    /// <summary>
    /// Applies each of <paramref name="count"/> inputs (row-major, n values each) to its own copy
    /// of <paramref name="frame"/> and writes the estimates of W z, m per input, into
    /// <paramref name="outputs"/>. Returns the light of all those uses, to be verified together,
    /// or null when the device returns none.
    /// </summary>
    ReturnedLight? MeasureBatch(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise);

    /// <summary>
    /// The same for the inputs <paramref name="samples"/> of <paramref name="prepared"/>, which were
    /// prepared for <paramref name="frame"/>: one copy per sample, as the other overload. A device
    /// that cannot use the preparation measures the gathered inputs.
    /// </summary>
    ReturnedLight? MeasureBatch(CoherentFrame frame, PreparedInputs prepared, ReadOnlySpan<int> samples, Span<float> outputs, NoiseSource noise)
    {
        prepared.CheckUse(frame, samples);
        var inputs = new float[samples.Length * frame.Columns];
        prepared.Gather(samples, inputs);
        return MeasureBatch(frame, inputs, samples.Length, outputs, noise);
    }
}

/// <summary>Single uses of any client device.</summary>
public static class ClientDeviceMeasurement
{
    /// <summary>
    /// Applies input <paramref name="input"/> (z, n values) to one copy of <paramref name="frame"/>:
    /// the estimates of W z and the returned light, if any.
    /// </summary>
    public static LayerMeasurement Measure(this IClientDevice device, CoherentFrame frame, ReadOnlySpan<float> input, NoiseSource noise)
    {
        var outputs = new float[frame.Rows];
        var residual = device.MeasureBatch(frame, input, 1, outputs, noise);
        return new LayerMeasurement(outputs, residual);
    }
}
