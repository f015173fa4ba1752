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
        if (input.Length != frame.Columns)
            throw new ArgumentException($"input has {input.Length} values; frame {frame.Id} takes {frame.Columns}", nameof(input));
        var light = frame.TakeCopy();
        var direction = new InputDirection(input, light.Modes);
        return Path == SimulationPath.ModeByMode
            ? MeasureModeByMode(light, direction, noise)
            : MeasureBySufficientStatistics(light, direction, noise);
    }

    private LayerMeasurement MeasureBySufficientStatistics(FrameLight light, InputDirection direction, NoiseSource noise)
    {
        var m = light.Rows;
        var amplitude = Math.Sqrt(light.Transmission);
        var outputs = new float[m];
        var sums = default(ConditionedReturnedLight.RowSums);
        var detectorSigma = Math.Sqrt(Noise.DetectorVariance);
        // Return-arm X noise given the detector's: E[e_r | e_d] = (cov / var_d) e_d.
        var regression = Noise.DetectorReturnCovariance / Noise.DetectorVariance;
        var toEstimate = direction.Norm / (2 * light.Scale * Noise.DetectorAmplitudeGain * amplitude);
        var signalGain = 2 * Noise.DetectorAmplitudeGain * amplitude;
        var scale = light.Scale;
        for (var i = 0; i < m; i++)
        {
            var (re, im) = ConjugateProduct.Compute(light.Row(i), direction.Unit);
            var betaRe = scale * re;
            var detectorError = detectorSigma * noise.NextGaussian();
            outputs[i] = (float)(toEstimate * (signalGain * betaRe + detectorError));
            sums = sums.Add(betaRe, scale * im, regression * detectorError);
        }
        var varianceX = Noise.ReturnVariance - regression * Noise.DetectorReturnCovariance + 1;
        var varianceP = Noise.ReturnVariance + 1;
        var residual = new ConditionedReturnedLight(light.Id, m, light.Modes, sums, light.Transmission, varianceX, varianceP);
        return new LayerMeasurement(outputs, residual);
    }

    private LayerMeasurement MeasureModeByMode(FrameLight light, InputDirection direction, NoiseSource noise)
    {
        var m = light.Rows;
        var unit = new System.Numerics.Complex[light.Modes];
        for (var j = 0; j < unit.Length; j++) unit[j] = direction.Mode(j);
        var unitary = new InputUnitary(unit);
        var outputs = new float[m];
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
        return new LayerMeasurement(outputs, new SampledReturnedLight(light.Id, returned, light.Modes));
    }
}
