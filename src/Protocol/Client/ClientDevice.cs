using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Client;

/// <summary>
/// The honest client's optical device (PROTOCOL.md section 3, steps 2 to 5): U_x, a
/// phase-insensitive amplifier of gain G on b0, a split sending 1 - 1/G to a homodyne
/// detector, and the rest returned through U_x^dagger.
/// </summary>
public sealed class ClientDevice : IClientDevice
{
    /// <summary>A device of amplifier gain <paramref name="gain"/> and homodyne <paramref name="detector"/> (ideal by default).</summary>
    public ClientDevice(double gain, SimulationPath path = SimulationPath.SufficientStatistics, Detector detector = default)
    {
        Noise = new DeviceNoise(gain, detector);
        Path = path;
    }

    /// <summary>The device's noise budget.</summary>
    public DeviceNoise Noise { get; }

    /// <summary>The simulation path used.</summary>
    public SimulationPath Path { get; }

    /// <summary>
    /// Applies each of <paramref name="count"/> inputs (row-major, n values each) to its own copy
    /// of <paramref name="frame"/> and writes the estimates of W z, m per input, into
    /// <paramref name="outputs"/>. Returns the light of all those uses, to be verified together:
    /// the honest device always returns it.
    /// </summary>
    public ReturnedLight MeasureBatch(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise)
    {
        InputBatch.Check(frame, inputs, count, outputs);
        var light = frame.TakeCopies(count);
        if (Path == SimulationPath.ModeByMode)
        {
            var parts = new ReturnedLight[count];
            for (var b = 0; b < count; b++)
            {
                var direction = new InputDirection(inputs.Slice(b * frame.Columns, frame.Columns), light.Modes);
                parts[b] = DeviceOptics.MeasureUse(light, direction, Noise, light.Transmission, null, outputs.Slice(b * frame.Rows, frame.Rows), noise);
            }
            return ReturnedLight.Combine(parts);
        }
        using var batch = new InputBatch(light, inputs, count);
        return DeviceStatistics.Measure(light, batch, Noise, new IncomingLight(light.Transmission, 1 + light.AddedNoise), light.Transmission, outputs, noise);
    }

    /// <summary>
    /// The same for the inputs <paramref name="samples"/> of <paramref name="prepared"/>: each use takes
    /// its copy and draws its noise, but the products of every prepared input were formed once.
    /// </summary>
    public ReturnedLight MeasureBatch(CoherentFrame frame, PreparedInputs prepared, ReadOnlySpan<int> samples, Span<float> outputs, NoiseSource noise)
    {
        prepared.CheckUse(frame, samples);
        if (outputs.Length < samples.Length * frame.Rows)
            throw new ArgumentException($"{samples.Length} uses of frame {frame.Id} give {samples.Length * frame.Rows} estimates; the output holds {outputs.Length}", nameof(outputs));
        if (Path == SimulationPath.ModeByMode)
        {
            var inputs = new float[samples.Length * frame.Columns];
            prepared.Gather(samples, inputs);
            return MeasureBatch(frame, inputs, samples.Length, outputs, noise);
        }
        var light = frame.TakeCopies(samples.Length);
        using var batch = prepared.Batch(samples);
        return DeviceStatistics.Measure(light, batch, Noise, new IncomingLight(light.Transmission, 1 + light.AddedNoise), light.Transmission, outputs, noise);
    }

    ReturnedLight? IClientDevice.MeasureBatch(CoherentFrame frame, PreparedInputs prepared, ReadOnlySpan<int> samples, Span<float> outputs, NoiseSource noise) =>
        MeasureBatch(frame, prepared, samples, outputs, noise);

    ReturnedLight? IClientDevice.MeasureBatch(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise) =>
        MeasureBatch(frame, inputs, count, outputs, noise);
}
