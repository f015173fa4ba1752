using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>scale:K</c> adversary: a client that trains honestly and sends K times its update, so
/// that a mean gives it K times its weight (a boosted update for K &gt; 1, a boosted ascent for
/// K &lt; 0). Its light is honest: the verifier has nothing to flag.
/// </summary>
/// <param name="factor">K, any finite number.</param>
public sealed class ScalingClient(double factor) : ClientConduct
{
    /// <summary>K when <c>scale</c> is given without it.</summary>
    public const double DefaultFactor = 10;

    /// <summary>K.</summary>
    public double Factor { get; } = double.IsFinite(factor) ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "the scale factor must be finite");

    /// <inheritdoc/>
    public override string Spec => $"scale:{Factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public override ClientUpdate Update(ClientUpdate trained, int seed) => Scaled(trained, Factor);

    /// <summary><paramref name="update"/> with its delta multiplied by <paramref name="factor"/>.</summary>
    internal static ClientUpdate Scaled(ClientUpdate update, double factor)
    {
        var delta = new float[update.Delta.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(update.Delta, (float)factor, delta);
        return update with { Delta = delta };
    }
}
