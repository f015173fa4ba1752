using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// Intercept-resend (PROTOCOL.md section 5): heterodynes every mode, keeps the outcomes, and sends
/// its device coherent states prepared at them (the outcome H = 2 sqrt(T) s w + N(0, 2) per
/// quadrature is an unbiased estimate of the mean). The resent light has variance 1 + 2 around
/// the true mean on every quadrature: 2 SNU excess per mode, 2n' per row use, on top of eps0.
/// </summary>
public sealed record InterceptResend : Attack
{
    /// <inheritdoc/>
    public override string Spec => "intercept-resend";

    /// <inheritdoc/>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission) =>
        new(transmission, new DeviceNoise(announcedGain).ExcessNoise + modes * Detection.HeterodyneVariance, Detection.HeterodyneVariance);

    internal override Tapping? Taps(FrameLight light) => new(light.Transmission, 0);

    internal override DeviceOptics.FrontEnd FrontEnd(FrameLight light, InputDirection direction, double[]? outcomes, NoiseSource noise) =>
        (row, modes) =>
        {
            var (x, p) = Detection.Heterodyne(modes, noise);
            var mine = outcomes!.AsSpan(row * 2 * modes.Count, 2 * modes.Count);
            for (var j = 0; j < x.Length; j++) (mine[2 * j], mine[2 * j + 1]) = (x[j], p[j]);
            modes.Prepare(x, p, noise);
            return 0;
        };

    internal override IncomingLight Incoming(FrameLight light, InputBatch batch, FrameKnowledge? knowledge, NoiseSource noise)
    {
        // Per mode, the resent mean is sqrt(T) A + n with n ~ N(0, 2): the offsets D = n. The device
        // needs u . n and u_P . n; the verifier the rest of n against the rest of A.
        int m = light.Rows, width = 2 * light.Modes, count = batch.Count;
        var amplitude = Math.Sqrt(light.Transmission);
        var twoScale = 2 * light.Scale;
        var sigma = Math.Sqrt(Detection.HeterodyneVariance);
        var offsetX = new double[count * m];
        var offsetP = new double[count * m];
        var outcomes = new double[m * width];
        double restDot = 0, restSquared = 0;
        for (var b = 0; b < count; b++)
        {
            var unit = batch.Unit(b);
            noise.FillGaussian(outcomes);
            for (var i = 0; i < m; i++)
            {
                var row = light.Row(i);
                var h = outcomes.AsSpan(i * width, width);
                double ux = 0, up = 0, an = 0, nn = 0;
                for (var e = 0; e < width; e += 2)
                {
                    double nx = sigma * h[e], np = sigma * h[e + 1];
                    double ax = twoScale * row[e], ap = twoScale * row[e + 1];
                    ux += unit[e] * nx + unit[e + 1] * np;
                    up += unit[e] * np - unit[e + 1] * nx;
                    an += ax * nx + ap * np;
                    nn += nx * nx + np * np;
                    h[e] = amplitude * ax + nx;
                    h[e + 1] = amplitude * ap + np;
                }
                var k = b * m + i;
                (offsetX[k], offsetP[k]) = (ux, up);
                restDot += an - twoScale * batch.Re[k] * ux - twoScale * batch.Im[k] * up;
                // |n_rest|^2 is never negative; rounding of a float unit vector can make it so by 1e-7.
                restSquared += Math.Max(0, nn - ux * ux - up * up);
            }
            knowledge!.AddUse(outcomes);
        }
        return new IncomingLight(light.Transmission) { OffsetX = offsetX, OffsetP = offsetP, RestDot = restDot, RestSquared = restSquared };
    }
}
