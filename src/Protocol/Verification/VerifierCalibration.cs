using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>Standard errors of a <see cref="Calibration"/>'s estimates.</summary>
/// <param name="Transmission">Of T-hat.</param>
/// <param name="ExcessNoise">Of the channel noise per quadrature of every mode.</param>
/// <param name="ElectronicNoise">Of the verifier's electronic noise.</param>
/// <param name="ReturnTransmission">Of the return transmission.</param>
public readonly record struct CalibrationErrors(double Transmission, double ExcessNoise, double ElectronicNoise, double ReturnTransmission);

/// <summary>
/// What the verifier learnt of its channel from honest frames (docs/CONVENTIONS.md, "A real channel"), and
/// expects afterwards.
/// </summary>
/// <param name="Transmission">T at the verifier's input, corrected for its detector's efficiency.</param>
/// <param name="ExcessNoise">Noise per quadrature of every mode at the verifier's input beyond vacuum and the device's, SNU (<see cref="VerifierOptions.ChannelNoise"/>).</param>
/// <param name="ElectronicNoise">The verifier's electronic noise per heterodyne outcome, SNU, from dark frames.</param>
/// <param name="ReturnTransmission">T_ret, from the device's excess as it arrives, T_ret eps0.</param>
/// <param name="Efficiency">The verifier's detector efficiency assumed (trusted, not estimated).</param>
/// <param name="Frames">Honest frames measured (as many dark frames again).</param>
/// <param name="StandardError">Standard errors of the estimates.</param>
public sealed record Calibration(
    double Transmission, double ExcessNoise, double ElectronicNoise, double ReturnTransmission, double Efficiency, int Frames, CalibrationErrors StandardError)
{
    /// <summary>
    /// <paramref name="options"/> expecting the calibrated channel: T, T_ret, the channel noise and the detector, the
    /// noise estimates clipped at 0 and T_ret to (0, 1].
    /// </summary>
    public VerifierOptions Expecting(VerifierOptions options) => options with
    {
        Transmission = Math.Clamp(Transmission, double.Epsilon, 1),
        ReturnTransmission = Math.Clamp(ReturnTransmission, double.Epsilon, 1),
        ChannelNoise = Math.Max(0, ExcessNoise),
        Detector = new Detector(Efficiency, Math.Max(0, ElectronicNoise)),
    };
}

/// <summary>
/// The verifier's calibration on honest frames: a dark measurement (signal blocked) gives its electronic noise,
/// v-hat = Q/D - 2; honest frames of two widths, n'1 = 1 and n'2 modes per row, give eps-hat_k = T_ret eps0 + n'_k v,
/// so the slope is the channel's noise v on every mode and the intercept, divided by eps0, the return transmission;
/// the pooled T-hat is the transmission to the verifier's input.
/// </summary>
public static class VerifierCalibration
{
    /// <summary>Rows of each calibration frame.</summary>
    public const int Rows = 50;

    /// <summary>Modes per row of the wide frames.</summary>
    public const int WideModes = 50;

    /// <summary>
    /// Calibrates on <paramref name="frames"/> honest frames (half of each width, at least 2) of <paramref name="photons"/>
    /// per mode, sent by honest devices of gain <paramref name="gain"/> through <paramref name="testbed"/> behind a channel
    /// of transmission <paramref name="transmission"/>.
    /// </summary>
    public static Calibration Run(double gain, double photons, double transmission, ChannelImperfections testbed, int frames, NoiseSource noise)
    {
        if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), frames, "calibration needs at least 2 frames (one of each width)");
        testbed.Validated();
        var eps0 = new DeviceNoise(gain).ExcessNoise;
        var verifierEfficiency = testbed.VerifierEfficiency;
        var narrow = Honest(gain, photons, transmission, testbed, 1, frames / 2, noise);
        var wide = Honest(gain, photons, transmission, testbed, WideModes, frames - frames / 2, noise);

        // Dark frames: vacuum, whatever the efficiency, has outcome variance 2 + v_el.
        var darkDimensions = (double)(narrow.Dimensions + wide.Dimensions);
        var trueDark = 2 + testbed.VerifierElectronicNoise;
        var electronic = trueDark * noise.NextChiSquared(darkDimensions) / darkDimensions - 2;
        var electronicError = (2 + Math.Max(0, electronic)) * Math.Sqrt(2 / darkDimensions);
        var detector = new Detector(verifierEfficiency, Math.Max(0, electronic));

        var (_, epsNarrow) = ResidualVerifier.Estimate(narrow, detector);
        var (_, epsWide) = ResidualVerifier.Estimate(wide, detector);
        double Modes(ResidualStatistics s) => s.Dimensions / (2.0 * s.Uses);
        var (m1, m2) = (Modes(narrow), Modes(wide));
        var slope = (epsWide - epsNarrow) / (m2 - m1);
        var intercept = epsNarrow - m1 * slope;
        var every = Math.Max(0, slope);
        var along = Math.Max(0, intercept);
        var se1 = ResidualVerifier.ExcessError(narrow.Dimensions, narrow.Uses, every, along, detector);
        var se2 = ResidualVerifier.ExcessError(wide.Dimensions, wide.Uses, every, along, detector);
        var slopeError = Math.Sqrt(se1 * se1 + se2 * se2) / (m2 - m1);
        var interceptError = Math.Sqrt(m2 * m2 * se1 * se1 + m1 * m1 * se2 * se2) / (m2 - m1);

        var pooled = narrow + wide;
        var (t, _) = ResidualVerifier.Estimate(pooled, detector);
        var amplitudeError = ResidualVerifier.AmplitudeError(pooled.ReferenceEnergy, every, detector);
        return new Calibration(t, slope, electronic, intercept / eps0, verifierEfficiency, frames,
            new CalibrationErrors(2 * Math.Sqrt(t) * amplitudeError, slopeError, electronicError, interceptError / eps0));
    }

    private static ResidualStatistics Honest(double gain, double photons, double transmission, ChannelImperfections testbed, int modes, int frames, NoiseSource noise)
    {
        var columns = 2 * modes;
        // Weights of +-1: every mode carries mu photons, as the phase noise's approximation assumes.
        var weights = new float[Rows * columns];
        for (var k = 0; k < weights.Length; k++) weights[k] = noise.NextGaussian() < 0 ? -1f : 1f;
        var input = new float[columns];
        for (var k = 0; k < columns; k++) input[k] = (float)Math.Abs(noise.NextGaussian()) + 0.1f;
        var layer = WeightEncoder.Encode(weights, Rows, columns, photons, frames);
        layer.Light.PassThroughChannel(transmission);
        testbed.Forward(layer.Light);
        var device = new ClientDevice(gain, SimulationPath.SufficientStatistics, testbed.ClientDetector);
        var statistics = ResidualStatistics.None;
        for (var f = 0; f < frames; f++)
        {
            var returned = testbed.Return(device.Measure(layer.Light, input, noise).Residual!, noise);
            statistics += returned.MeasureHeterodyne(layer.Reference, noise, testbed.VerifierDetector);
        }
        return statistics;
    }
}
