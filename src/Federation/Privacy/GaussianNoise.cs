using System.Runtime.InteropServices;
using System.Security.Cryptography;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Privacy;

/// <summary>
/// The Gaussian noise of differential privacy: seeded, for experiments that must reproduce (the
/// simulation's <see cref="NoiseSource"/>), or from the operating system's cryptographic generator,
/// for deployments, where a known seed would let anyone subtract the noise. Either way the normals
/// come from the Box-Muller transform of floating-point uniforms, not the exact Gaussian the proofs
/// assume (Mironov 2012 shows what that can leak for the Laplace mechanism).
/// </summary>
public sealed class GaussianNoise
{
    private readonly Func<double> _standard;

    private GaussianNoise(Func<double> standard) => _standard = standard;

    /// <summary>A reproducible stream for <paramref name="seed"/>.</summary>
    public static GaussianNoise Seeded(int seed)
    {
        var source = NoiseSource.Seeded(seed);
        return new GaussianNoise(source.NextGaussian);
    }

    /// <summary>A stream from the operating system's cryptographic generator (Box-Muller of 53-bit uniforms).</summary>
    public static GaussianNoise Secure()
    {
        // The generator is asked for 4 KiB at a time: one call per draw would cost more than the noise.
        var bits = new ulong[512];
        var next = bits.Length;
        double? spare = null;
        ulong Bits()
        {
            if (next == bits.Length)
            {
                RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(bits.AsSpan()));
                next = 0;
            }
            return bits[next++];
        }
        return new GaussianNoise(() =>
        {
            if (spare is { } s)
            {
                spare = null;
                return s;
            }
            var u1 = ((Bits() >> 11) + 1) * (1.0 / (1UL << 53));
            var u2 = (Bits() >> 11) * (1.0 / (1UL << 53));
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            spare = radius * Math.Sin(2 * Math.PI * u2);
            return radius * Math.Cos(2 * Math.PI * u2);
        });
    }

    /// <summary><see cref="Seeded"/> for <paramref name="seed"/>, or <see cref="Secure"/> when it is null.</summary>
    public static GaussianNoise For(int? seed) => seed is { } s ? Seeded(s) : Secure();

    /// <summary>One draw of N(0, <paramref name="std"/>^2).</summary>
    public double Next(double std) => std * _standard();

    /// <summary>Adds independent N(0, <paramref name="std"/>^2) noise to every value.</summary>
    public void AddTo(Span<float> values, double std)
    {
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentException($"a noise std must be finite and at least 0; got {std}");
        if (std == 0) return;
        for (var k = 0; k < values.Length; k++) values[k] = (float)(values[k] + std * _standard());
    }
}
