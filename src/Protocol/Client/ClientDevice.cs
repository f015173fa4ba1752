using System.Buffers;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Client;

/// <summary>How a device's optics are simulated; both draw from the same distributions.</summary>
public enum SimulationPath
{
    /// <summary>
    /// Exact sufficient statistics: O(1) random numbers per row, cost dominated by the two dot
    /// products per row that any client computation needs.
    /// </summary>
    SufficientStatistics,

    /// <summary>Every mode simulated as a Wigner sample through every optical element.</summary>
    ModeByMode,
}

/// <summary>What a client obtains from one use of a frame: its estimates of W z, and the light it returns.</summary>
/// <param name="Outputs">Estimates y_i of (W z)_i, one per row.</param>
/// <param name="Residual">The returned light, for the verifier.</param>
public sealed record LayerMeasurement(float[] Outputs, ReturnedLight Residual);

/// <summary>
/// The honest client's optical device (PROTOCOL.md section 3, steps 2 to 5): U_x, a
/// phase-insensitive amplifier of gain G on b0, a split sending 1 - 1/G to a homodyne
/// detector, and the rest returned through U_x^dagger.
/// </summary>
public sealed class ClientDevice
{
    /// <summary>A device of amplifier gain <paramref name="gain"/>.</summary>
    public ClientDevice(double gain, SimulationPath path = SimulationPath.SufficientStatistics)
    {
        Noise = new DeviceNoise(gain);
        Path = path;
    }

    /// <summary>The device's noise budget.</summary>
    public DeviceNoise Noise { get; }

    /// <summary>The simulation path used.</summary>
    public SimulationPath Path { get; }

    /// <summary>
    /// Applies input <paramref name="input"/> (z, n values) to one copy of
    /// <paramref name="frame"/>, measures each row's b0 and returns estimates of W z.
    /// </summary>
    public LayerMeasurement Measure(CoherentFrame frame, ReadOnlySpan<float> input, NoiseSource noise)
    {
        var outputs = new float[frame.Rows];
        var residual = MeasureBatch(frame, input, 1, outputs, noise);
        return new LayerMeasurement(outputs, residual);
    }

    /// <summary>
    /// Applies each of <paramref name="count"/> inputs (row-major, n values each) to its own copy
    /// of <paramref name="frame"/> and writes the estimates of W z, m per input, into
    /// <paramref name="outputs"/>. Returns the light of all those uses, to be verified together.
    /// </summary>
    public ReturnedLight MeasureBatch(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a measurement needs at least one input");
        if (inputs.Length != count * frame.Columns)
            throw new ArgumentException($"{count} inputs of {frame.Columns} values need {count * frame.Columns}; got {inputs.Length} for frame {frame.Id}", nameof(inputs));
        if (outputs.Length < count * frame.Rows)
            throw new ArgumentException($"{count} uses of frame {frame.Id} give {count * frame.Rows} estimates; the output holds {outputs.Length}", nameof(outputs));
        var light = frame.TakeCopies(count);
        if (Path == SimulationPath.ModeByMode)
        {
            var parts = new ReturnedLight[count];
            for (var b = 0; b < count; b++)
            {
                var direction = new InputDirection(inputs.Slice(b * frame.Columns, frame.Columns), light.Modes);
                parts[b] = MeasureModeByMode(light, direction, outputs.Slice(b * frame.Rows, frame.Rows), noise);
            }
            return ReturnedLight.Combine(parts);
        }
        return MeasureBySufficientStatistics(light, inputs, count, outputs, noise);
    }

    private ConditionedReturnedLight MeasureBySufficientStatistics(FrameLight light, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise)
    {
        var m = light.Rows;
        var n = inputs.Length / count;
        var width = 2 * light.Modes;
        // Scratch of a batch comes from the shared pools: a training round measures thousands of batches.
        var units = ArrayPool<float>.Shared.Rent(count * width);
        var norms = ArrayPool<double>.Shared.Rent(count);
        var re = ArrayPool<float>.Shared.Rent(count * m);
        var im = ArrayPool<float>.Shared.Rent(count * m);
        var errors = ArrayPool<double>.Shared.Rent(count * m);
        try
        {
            for (var b = 0; b < count; b++)
                norms[b] = InputDirection.Normalize(inputs.Slice(b * n, n), units.AsSpan(b * width, width));
            BatchConjugateProduct.Compute(light, units, count, re, im);
            noise.FillGaussian(errors.AsSpan(0, count * m));

            var amplitude = Math.Sqrt(light.Transmission);
            var sums = default(ConditionedReturnedLight.RowSums);
            var detectorSigma = Math.Sqrt(Noise.DetectorVariance);
            // Return-arm X noise given the detector's: E[e_r | e_d] = (cov / var_d) e_d.
            var regression = Noise.DetectorReturnCovariance / Noise.DetectorVariance;
            var signalGain = 2 * Noise.DetectorAmplitudeGain * amplitude;
            var scale = light.Scale;
            for (var b = 0; b < count; b++)
            {
                var toEstimate = norms[b] / (2 * scale * Noise.DetectorAmplitudeGain * amplitude);
                for (var k = b * m; k < (b + 1) * m; k++)
                {
                    var betaRe = scale * re[k];
                    var detectorError = detectorSigma * errors[k];
                    outputs[k] = (float)(toEstimate * (signalGain * betaRe + detectorError));
                    sums = sums.Add(betaRe, scale * im[k], regression * detectorError);
                }
            }
            var varianceX = Noise.ReturnVariance - regression * Noise.DetectorReturnCovariance + 1;
            var varianceP = Noise.ReturnVariance + 1;
            return new ConditionedReturnedLight(light.Id, m, light.Modes, count, sums, light.Transmission, varianceX, varianceP);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(units);
            ArrayPool<double>.Shared.Return(norms);
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
            ArrayPool<double>.Shared.Return(errors);
        }
    }

    private SampledReturnedLight MeasureModeByMode(FrameLight light, InputDirection direction, Span<float> outputs, NoiseSource noise)
    {
        var m = light.Rows;
        var unit = new System.Numerics.Complex[light.Modes];
        for (var j = 0; j < unit.Length; j++) unit[j] = direction.Mode(j);
        var unitary = new InputUnitary(unit);
        var returned = new LightModes[m];
        var toEstimate = direction.Norm / (2 * light.Scale * Noise.DetectorAmplitudeGain * Math.Sqrt(light.Transmission));
        for (var i = 0; i < m; i++)
        {
            var modes = LightModes.Coherent(light.Row(i), light.Scale, noise);
            if (light.Transmission < 1) modes.Attenuate(light.Transmission, noise);
            unitary.Apply(modes);
            modes.Amplify(0, Noise.Gain, noise);
            var detector = modes.SplitOff(0, Noise.DetectorFraction, noise);
            outputs[i] = (float)(toEstimate * Detection.HomodyneX(detector.X));
            unitary.ApplyAdjoint(modes);
            returned[i] = modes;
        }
        return new SampledReturnedLight(light.Id, returned, light.Modes);
    }
}
