using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// Partial return (PROTOCOL.md section 5): of every row, the modes j &gt;= ceil(f n') go around the
/// device to a heterodyne; the device sees vacuum in their place, so the verifier receives vacuum
/// where they should be. The attacker adds its heterodyne estimate of the diverted part of b0 to
/// its detector's, so its outputs stay unbiased.
/// </summary>
public sealed record PartialReturn : Attack
{
    /// <summary>A device that returns the first fraction <paramref name="returnedFraction"/> of every row's modes, in (0, 1).</summary>
    public PartialReturn(double returnedFraction)
    {
        ReturnedFraction = Fraction(returnedFraction, nameof(returnedFraction), "the returned fraction");
    }

    /// <summary>Fraction f of every row's modes that reach the device and come back.</summary>
    public double ReturnedFraction { get; }

    /// <inheritdoc/>
    public override string Spec => $"partial:{Format(ReturnedFraction)}";

    /// <summary>The first diverted mode of a row of <paramref name="modes"/> modes, ceil(f n') (rounded to 1e-9 first, so 0.3 x 10 is 3).</summary>
    public int FirstDiverted(int modes) => Math.Min(modes, (int)Math.Ceiling(Math.Round(ReturnedFraction * modes, 9)));

    /// <inheritdoc/>
    /// <remarks>
    /// The returned mean is sqrt(T) A on the kept modes, a fraction phi = ceil(f n')/n' of the
    /// energy: C/S tends to sqrt(T) phi, so T-hat = T phi^2, and the part of the mean the
    /// verifier's fit leaves, T |A|^2 phi (1 - phi) with |A|^2 = 4 mu n' per row, adds
    /// 2 T mu n' phi (1 - phi) to eps-hat.
    /// </remarks>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission)
    {
        var kept = FirstDiverted(modes) / (double)modes;
        return new ExpectedResidual(transmission * kept * kept,
            new DeviceNoise(announcedGain).ExcessNoise + 2 * transmission * photons * modes * kept * (1 - kept));
    }

    internal override Tapping? Taps(FrameLight light) =>
        FirstDiverted(light.Modes) < light.Modes ? new Tapping(light.Transmission, FirstDiverted(light.Modes)) : null;

    internal override DeviceOptics.FrontEnd? FrontEnd(FrameLight light, InputDirection direction, double[]? outcomes, NoiseSource noise)
    {
        var first = FirstDiverted(light.Modes);
        if (first == light.Modes) return null;
        return (row, modes) =>
        {
            var (x, p) = Detection.Heterodyne(modes.Divert(first, noise), noise);
            var mine = outcomes!.AsSpan(row * 2 * modes.Count, 2 * modes.Count);
            double estimate = 0;
            for (var j = 0; j < x.Length; j++)
            {
                var e = 2 * (first + j);
                (mine[e], mine[e + 1]) = (x[j], p[j]);
                estimate += direction.Unit[e] * x[j] + direction.Unit[e + 1] * p[j];
            }
            return estimate;
        };
    }

    internal override IncomingLight Incoming(FrameLight light, InputBatch batch, FrameKnowledge? knowledge, NoiseSource noise)
    {
        var first = FirstDiverted(light.Modes);
        if (first == light.Modes) return new IncomingLight(light.Transmission);
        // The device's input mean is sqrt(T) A with the diverted modes zeroed: offsets D = -sqrt(T) A_div.
        int m = light.Rows, width = 2 * light.Modes, count = batch.Count, start = 2 * first;
        var amplitude = Math.Sqrt(light.Transmission);
        var twoScale = 2 * light.Scale;
        var divertedEnergy = new double[m];
        for (var i = 0; i < m; i++)
            foreach (var w in light.Row(i)[start..]) divertedEnergy[i] += twoScale * twoScale * w * (double)w;
        var offsetX = new double[count * m];
        var offsetP = new double[count * m];
        var estimate = new double[count * m];
        var outcomes = new double[m * width];
        var draws = new double[width - start];
        var sigma = Math.Sqrt(Detection.HeterodyneVariance);
        double restDot = 0, restSquared = 0;
        for (var b = 0; b < count; b++)
        {
            var unit = batch.Unit(b)[start..];
            for (var i = 0; i < m; i++)
            {
                var row = light.Row(i)[start..];
                var k = b * m + i;
                var (re, im) = ConjugateProduct.Compute(row, unit);
                double dx = -amplitude * twoScale * re, dp = -amplitude * twoScale * im;
                (offsetX[k], offsetP[k]) = (dx, dp);
                restDot += -amplitude * divertedEnergy[i] - twoScale * batch.Re[k] * dx - twoScale * batch.Im[k] * dp;
                restSquared += Math.Max(0, light.Transmission * divertedEnergy[i] - dx * dx - dp * dp);
                // The diverted modes' heterodyne: sqrt(T) A plus its noise on every quadrature.
                noise.FillGaussian(draws);
                var h = outcomes.AsSpan(i * width + start, width - start);
                double seen = 0; // u_div . H: its estimate of the X along x of the diverted light
                for (var e = 0; e < h.Length; e++)
                {
                    h[e] = amplitude * twoScale * row[e] + sigma * draws[e];
                    seen += unit[e] * h[e];
                }
                estimate[k] = seen;
            }
            knowledge!.AddUse(outcomes);
        }
        return new IncomingLight(light.Transmission)
        {
            OffsetX = offsetX, OffsetP = offsetP, RestDot = restDot, RestSquared = restSquared, DivertedEstimate = estimate,
        };
    }
}
