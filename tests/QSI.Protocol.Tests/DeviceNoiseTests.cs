using QSI.Protocol.Client;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests;

public class DeviceNoiseTests
{
    [Theory]
    [InlineData(2.0)]
    [InlineData(3.4)]
    public void At_vacuum_input_the_arms_noise_is_the_closed_form_of_section_3_and_continuous_around_it(double gain)
    {
        var noise = new DeviceNoise(gain);
        var vacuum = noise.ForInput(1);
        Assert.Equal((noise.DetectorVariance, noise.ReturnVariance, noise.DetectorReturnCovariance), (vacuum.Detector, vacuum.Return, vacuum.Covariance));
        var near = noise.ForInput(1 + 1e-12);
        Assert.Equal(vacuum.Detector, near.Detector, 9);
        Assert.Equal(vacuum.Return, near.Return, 9);
        Assert.Equal(vacuum.Covariance, near.Covariance, 9);
    }

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(2.0, 3.0)]
    [InlineData(3.4, 1.5)]
    public void The_arms_noise_for_noisy_input_matches_the_amplifier_and_split_mode_by_mode(double gain, double inputVariance)
    {
        // Wigner samples of a mode of quadrature variance V through Amplify and SplitOff: the
        // sample (co)variances of detector X, return X and return P against ForInput(V).
        const int samples = 200_000;
        var device = new DeviceNoise(gain);
        var expected = device.ForInput(inputVariance);
        var noise = NoiseSource.Seeded(41);
        double dd = 0, rr = 0, dr = 0, pp = 0, dp = 0;
        var sigma = Math.Sqrt(inputVariance);
        for (var k = 0; k < samples; k++)
        {
            var modes = new LightModes(1);
            modes.X[0] = sigma * noise.NextGaussian();
            modes.P[0] = sigma * noise.NextGaussian();
            modes.Amplify(0, gain, noise);
            var detector = modes.SplitOff(0, device.DetectorFraction, noise);
            dd += detector.X * detector.X;
            rr += modes.X[0] * modes.X[0];
            dr += detector.X * modes.X[0];
            pp += modes.P[0] * modes.P[0];
            dp += detector.X * modes.P[0];
        }
        // Standard errors of second moments of zero-mean Gaussians: sqrt(2 v^2 / N), sqrt((v1 v2 + c^2) / N).
        static double Error(double v1, double v2, double c) => 4.5 * Math.Sqrt((v1 * v2 + c * c) / samples);
        Assert.Equal(expected.Detector, dd / samples, Error(expected.Detector, expected.Detector, expected.Detector));
        Assert.Equal(expected.Return, rr / samples, Error(expected.Return, expected.Return, expected.Return));
        Assert.Equal(expected.Return, pp / samples, Error(expected.Return, expected.Return, expected.Return));
        Assert.Equal(expected.Covariance, dr / samples, Error(expected.Detector, expected.Return, expected.Covariance));
        Assert.Equal(0, dp / samples, Error(expected.Detector, expected.Return, 0));
    }
}
