using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Client;

/// <summary>
/// The amplify-and-split device mode by mode (PROTOCOL.md section 3, steps 2 to 5), on one row's
/// Wigner sample.
/// </summary>
internal static class DeviceOptics
{
    /// <summary>
    /// Optics between the channel and the device, on row <c>row</c>'s light (changed in place);
    /// returns the client's own estimate of the X quadrature along x of light it sent around the
    /// device (0 when none).
    /// </summary>
    public delegate double FrontEnd(int row, LightModes modes);

    /// <summary>
    /// One use of <paramref name="light"/> with input <paramref name="direction"/>: every row is
    /// prepared as the coherent states the channel delivers, passes <paramref name="frontEnd"/>
    /// (none for the honest client) and the device, and is estimated for a transmission of
    /// <paramref name="estimateTransmission"/>.
    /// </summary>
    public static SampledReturnedLight MeasureUse(FrameLight light, InputDirection direction, DeviceNoise device, double estimateTransmission,
        FrontEnd? frontEnd, Span<float> outputs, NoiseSource noise)
    {
        var unitary = direction.Unitary();
        var returned = new LightModes[light.Rows];
        var toEstimate = ToEstimate(direction.Norm, light.Scale, device, estimateTransmission);
        for (var i = 0; i < light.Rows; i++)
        {
            var modes = LightModes.Coherent(light.Row(i), light.Scale, noise);
            if (light.Transmission < 1) modes.Attenuate(light.Transmission, noise);
            if (light.AddedNoise > 0) modes.AddNoise(light.AddedNoise, noise);
            var diverted = frontEnd?.Invoke(i, modes) ?? 0;
            var detected = MeasureRow(modes, unitary, device, noise);
            // The estimate of light sent around the device enters as the detector's X would: times sqrt(G - 1).
            outputs[i] = (float)(toEstimate * (frontEnd is null ? detected : detected + device.DetectorAmplitudeGain * diverted));
            returned[i] = modes;
        }
        return new SampledReturnedLight(light.Id, returned, light.Modes);
    }

    /// <summary>
    /// Sends <paramref name="modes"/> through U_x, the amplifier on b0, the split and U_x^dagger,
    /// and returns the detector's homodyne X; the modes are left as the returned light.
    /// </summary>
    public static double MeasureRow(LightModes modes, InputUnitary unitary, DeviceNoise device, NoiseSource noise)
    {
        unitary.Apply(modes);
        modes.Amplify(0, device.Gain, noise);
        var detector = modes.SplitOff(0, device.DetectorFraction, noise);
        unitary.ApplyAdjoint(modes);
        return device.Detector.Measure(Detection.HomodyneX(detector.X), noise);
    }

    /// <summary>
    /// The estimate y_i = |z| X / (2 s sqrt(G-1) sqrt(eta) sqrt(t)) per unit of homodyne X, for a client that believes its
    /// light has transmission t and whose detector has efficiency eta (1 when ideal).
    /// </summary>
    public static double ToEstimate(double norm, double scale, DeviceNoise device, double estimateTransmission) =>
        norm / (2 * scale * device.DetectorAmplitudeGain * Math.Sqrt(estimateTransmission));
}
