using QSI.Protocol.Randomness;

namespace QSI.Protocol.Optics;

/// <summary>
/// A set of optical modes held as one sample of their joint Wigner function: quadratures
/// X = a + a^dagger and P = -i(a - a^dagger) per mode, in shot-noise units.
/// </summary>
/// <remarks>
/// For Gaussian states the Wigner function is a probability density; linear optics, loss and
/// phase-insensitive gain act on it as linear maps with fresh vacuum ancillas, and a
/// homodyne outcome is distributed as the marginal of the measured quadrature. Propagating
/// one sample through those maps therefore draws outcomes from exactly the quantum
/// distribution (PROTOCOL.md section 2).
/// </remarks>
internal sealed class LightModes
{
    public LightModes(int count)
    {
        X = new double[count];
        P = new double[count];
    }

    public int Count => X.Length;
    public double[] X { get; }
    public double[] P { get; }

    /// <summary>Coherent states |alpha_j>: mean (2 Re alpha, 2 Im alpha), vacuum noise 1 on each quadrature.</summary>
    public static LightModes Coherent(ReadOnlySpan<float> packedAmplitudes, double scale, NoiseSource noise)
    {
        var modes = new LightModes(packedAmplitudes.Length / 2);
        noise.FillGaussian(modes.X);
        noise.FillGaussian(modes.P);
        for (var j = 0; j < modes.Count; j++)
        {
            modes.X[j] += 2 * scale * packedAmplitudes[2 * j];
            modes.P[j] += 2 * scale * packedAmplitudes[2 * j + 1];
        }
        return modes;
    }

    /// <summary>Loss: a beam splitter of transmission T with vacuum in the other port.</summary>
    public void Attenuate(double transmission, NoiseSource noise)
    {
        var t = Math.Sqrt(transmission);
        var r = Math.Sqrt(1 - transmission);
        for (var j = 0; j < Count; j++)
        {
            X[j] = t * X[j] + r * noise.NextGaussian();
            P[j] = t * P[j] + r * noise.NextGaussian();
        }
    }

    /// <summary>
    /// Classical Gaussian noise of variance <paramref name="variance"/> (SNU) added to every quadrature of every
    /// mode: the additive-noise channel that carries a channel's excess noise (docs/CONVENTIONS.md, "A real channel").
    /// </summary>
    public void AddNoise(double variance, NoiseSource noise)
    {
        var sigma = Math.Sqrt(variance);
        for (var j = 0; j < Count; j++)
        {
            X[j] += sigma * noise.NextGaussian();
            P[j] += sigma * noise.NextGaussian();
        }
    }

    /// <summary>
    /// Phase-insensitive amplifier of gain G on mode <paramref name="j"/>:
    /// a -> sqrt(G) a + sqrt(G-1) v^dagger, so quadrature variance 1 becomes 2G - 1.
    /// </summary>
    public void Amplify(int j, double gain, NoiseSource noise)
    {
        var g = Math.Sqrt(gain);
        var h = Math.Sqrt(gain - 1);
        X[j] = g * X[j] + h * noise.NextGaussian();
        P[j] = g * P[j] - h * noise.NextGaussian();
    }

    /// <summary>
    /// Beam splitter on mode <paramref name="j"/> with a vacuum input: returns the quadratures of
    /// the port that receives fraction <paramref name="reflectivity"/> of the power and leaves
    /// the transmitted port (fraction 1 - R) in mode j.
    /// </summary>
    public (double X, double P) SplitOff(int j, double reflectivity, NoiseSource noise)
    {
        var r = Math.Sqrt(reflectivity);
        var t = Math.Sqrt(1 - reflectivity);
        var vx = noise.NextGaussian();
        var vp = noise.NextGaussian();
        var reflected = (r * X[j] + t * vx, r * P[j] + t * vp);
        X[j] = t * X[j] - r * vx;
        P[j] = t * P[j] - r * vp;
        return reflected;
    }

    /// <summary>
    /// A beam splitter of reflectivity <paramref name="reflectivity"/> on every mode, with vacuum
    /// in the other port: returns the reflected modes and leaves the transmitted ones here.
    /// </summary>
    public LightModes SplitOffAll(double reflectivity, NoiseSource noise)
    {
        var reflected = new LightModes(Count);
        for (var j = 0; j < Count; j++) (reflected.X[j], reflected.P[j]) = SplitOff(j, reflectivity, noise);
        return reflected;
    }

    /// <summary>Phase-insensitive amplifiers of gain <paramref name="gain"/> on every mode.</summary>
    public void AmplifyAll(double gain, NoiseSource noise)
    {
        for (var j = 0; j < Count; j++) Amplify(j, gain, noise);
    }

    /// <summary>
    /// Routes modes <paramref name="first"/> and above elsewhere and returns them; vacuum takes
    /// their place here.
    /// </summary>
    public LightModes Divert(int first, NoiseSource noise)
    {
        var diverted = new LightModes(Count - first);
        for (var j = first; j < Count; j++)
        {
            (diverted.X[j - first], diverted.P[j - first]) = (X[j], P[j]);
            X[j] = noise.NextGaussian();
            P[j] = noise.NextGaussian();
        }
        return diverted;
    }

    /// <summary>Replaces every mode with a freshly prepared coherent state of quadrature means (<paramref name="x"/>, <paramref name="p"/>).</summary>
    public void Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> p, NoiseSource noise)
    {
        for (var j = 0; j < Count; j++)
        {
            X[j] = x[j] + noise.NextGaussian();
            P[j] = p[j] + noise.NextGaussian();
        }
    }
}
