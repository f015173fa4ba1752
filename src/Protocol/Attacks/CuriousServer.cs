using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// The curious server (PROTOCOL.md section 5): it heterodynes the light a client returns from one
/// use of a frame, in which every row reused one input x, and estimates the client's input from
/// the excess noise the device left along x. Its real estimators' errors are what the data
/// bounds of section 4 must cover.
/// </summary>
public static class CuriousServer
{
    /// <summary>
    /// Heterodynes every mode of <paramref name="light"/> (the mode-by-mode light of one use)
    /// against <paramref name="reference"/> and keeps the residuals r = H - sqrt(T) A, for a channel
    /// of calibrated transmission <paramref name="transmission"/>. Measures the light: the
    /// verifier's statistics of the same outcomes come with the residuals.
    /// </summary>
    public static ReturnedResiduals Measure(ReturnedLight light, FrameReference reference, double transmission, NoiseSource noise)
    {
        if (light is not SampledReturnedLight { Uses: 1 } sampled)
            throw new ArgumentException($"the curious server reads the modes of one use; light of frame {light.Frame} is {(light.Uses > 1 ? $"{light.Uses} uses" : "described by sufficient statistics")} (simulate it mode by mode)", nameof(light));
        if (transmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(transmission), transmission, "transmission must be in (0, 1]");
        light.Take(reference);
        var width = 2 * light.Modes;
        var residuals = new double[light.Rows * width];
        var amplitude = 2 * reference.Scale * Math.Sqrt(transmission);
        var statistics = sampled.Measure(reference, noise, (i, x, p) =>
        {
            var alpha = reference.Row(i);
            for (var j = 0; j < x.Length; j++)
            {
                residuals[i * width + 2 * j] = x[j] - amplitude * alpha[2 * j];
                residuals[i * width + 2 * j + 1] = p[j] - amplitude * alpha[2 * j + 1];
            }
        });
        return new ReturnedResiduals(light.Rows, light.Modes, residuals, statistics);
    }

    /// <summary>
    /// Cramér-Rao bound of one use's per-mode measurement of theta_j = |x_j|^2 with M rows: each of
    /// the 2M real outcomes of mode j is N(0, 2 + eps0 theta_j), so CR = (2 + eps0 theta_j)^2 / (M eps0^2).
    /// </summary>
    public static double CramerRao(double magnitude, int rows, double gain)
    {
        var eps0 = new DeviceNoise(gain).ExcessNoise;
        return Square(2 + eps0 * magnitude) / (rows * eps0 * eps0);
    }

    private static double Square(double x) => x * x;
}
