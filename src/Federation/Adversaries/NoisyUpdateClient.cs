using QSI.Federation.Rounds;
using QSI.Federation.Strategies;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>noise:SIGMA</c> adversary: a client that trains honestly and adds independent
/// N(0, SIGMA²) noise to every coordinate of its update, drawn from its own seeded stream of the
/// round. Its light is honest: the verifier has nothing to flag.
/// </summary>
/// <param name="sigma">SIGMA, the noise's standard deviation per coordinate (above 0).</param>
public sealed class NoisyUpdateClient(double sigma) : ClientConduct
{
    /// <summary>SIGMA when <c>noise</c> is given without it.</summary>
    public const double DefaultSigma = 1;

    /// <summary>SIGMA.</summary>
    public double Sigma { get; } = sigma > 0 && double.IsFinite(sigma) ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the noise's standard deviation must be positive");

    /// <inheritdoc/>
    public override string Spec => $"noise:{Sigma.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public override ClientUpdate Update(ClientUpdate trained, int seed)
    {
        var noise = NoiseSource.Seeded(seed);
        var delta = new float[trained.Delta.Length];
        for (var k = 0; k < delta.Length; k++) delta[k] = (float)(trained.Delta[k] + Sigma * noise.NextGaussian());
        return trained with { Delta = delta };
    }
}
