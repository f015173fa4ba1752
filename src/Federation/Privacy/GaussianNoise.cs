using System.Security.Cryptography;

namespace QSI.Federation.Privacy;

/// <summary>
/// The Gaussian noise of differential privacy: seeded, for experiments that must reproduce, or from
/// the operating system's cryptographic generator, for deployments, where a known seed would let
/// anyone subtract the noise. Normals come from the Box-Muller transform of 53-bit uniforms; like
/// every floating-point sampler it is not the exact Gaussian that the proofs assume (Mironov 2012).
/// </summary>
public sealed class GaussianNoise
{
    private readonly Func<ulong> _bits;
    private double? _spare;

    private GaussianNoise(Func<ulong> bits) => _bits = bits;

    /// <summary>A reproducible stream for <paramref name="seed"/>.</summary>
    public static GaussianNoise Seeded(int seed)
    {
        var random = new Random(seed);
        return new GaussianNoise(() => (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2));
    }

    /// <summary>A stream from the operating system's cryptographic generator.</summary>
    public static GaussianNoise Secure()
    {
        // The generator is asked for 4 KiB at a time: one call per draw would cost more than the noise.
        var buffer = new ulong[512];
        var next = buffer.Length;
        return new GaussianNoise(() =>
        {
            if (next == buffer.Length)
            {
                RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan()));
                next = 0;
            }
            return buffer[next++];
        });
    }

    /// <summary><see cref="Seeded"/> for <paramref name="seed"/>, or <see cref="Secure"/> when it is null.</summary>
    public static GaussianNoise For(int? seed) => seed is { } s ? Seeded(s) : Secure();

    /// <summary>One draw of N(0, <paramref name="std"/>^2).</summary>
    public double Next(double std)
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return std * spare;
        }
        var u1 = ((_bits() >> 11) + 1) * (1.0 / (1UL << 53));
        var u2 = (_bits() >> 11) * (1.0 / (1UL << 53));
        var radius = Math.Sqrt(-2 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return std * radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Adds independent N(0, <paramref name="std"/>^2) noise to every value.</summary>
    public void AddTo(Span<float> values, double std)
    {
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentException($"a noise std must be finite and at least 0; got {std}");
        if (std == 0) return;
        for (var k = 0; k < values.Length; k++) values[k] = (float)(values[k] + Next(std));
    }
}
