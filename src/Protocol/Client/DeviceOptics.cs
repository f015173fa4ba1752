using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Client;

/// <summary>
/// The amplify-and-split device mode by mode (PROTOCOL.md section 3, steps 2 to 5), on one row's
/// Wigner sample.
/// </summary>
internal static class DeviceOptics
{
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
        return Detection.HomodyneX(detector.X);
    }

    /// <summary>The estimate y_i = |z| X / (2 s sqrt(G-1) sqrt(t)) per unit of homodyne X, for a client that believes its light has transmission t.</summary>
    public static double ToEstimate(double norm, double scale, DeviceNoise device, double estimateTransmission) =>
        norm / (2 * scale * device.DetectorAmplitudeGain * Math.Sqrt(estimateTransmission));
}
