namespace QSI.Federation.Privacy;

/// <summary>
/// The adaptive clipping norm of Andrew et al. 2021 ("Differentially private learning with adaptive
/// clipping", Algorithm 1): after each round, C &lt;- C exp(-eta (b - gamma)), where b is the noised
/// fraction of the m sampled updates whose norm was at most C. The norm then converges to the gamma
/// quantile of the update norms. The count is released too, so the updates' noise multiplier shrinks
/// to keep the round's privacy that of multiplier z (<see cref="UpdateNoiseMultiplier"/>).
/// </summary>
public sealed class AdaptiveClip(double initial, AdaptiveClipSettings settings)
{
    /// <summary>The norm to clip with now.</summary>
    public double Clip { get; private set; } = initial > 0 ? initial : throw new ArgumentException($"a clipping norm must be positive; got {initial}");

    /// <summary>The settings.</summary>
    public AdaptiveClipSettings Settings { get; } = settings.Validated();

    /// <summary>sigma_b for <paramref name="sampled"/> clients: the setting, or m / 20.</summary>
    public double CountNoise(int sampled) => Settings.CountNoise ?? sampled / 20.0;

    /// <summary>
    /// z_Delta = (z^-2 - (2 sigma_b)^-2)^(-1/2) (the paper's Theorem 1): the updates' sum with this
    /// multiplier and the count with std sigma_b together are as private as one Gaussian query of multiplier z.
    /// </summary>
    /// <exception cref="ArgumentException">z is at least 2 sigma_b: the count alone would spend the whole budget.</exception>
    public static double UpdateNoiseMultiplier(double z, double countNoise)
    {
        if (z >= 2 * countNoise)
            throw new ArgumentException($"the noise multiplier {z:G4} needs the count of unclipped updates noised with std above {z / 2:G4}; it is {countNoise:G4} (sample more clients or noise the count more)");
        return Math.Pow(Math.Pow(z, -2) - Math.Pow(2 * countNoise, -2), -0.5);
    }

    /// <summary>
    /// Moves the norm after a round in which <paramref name="unclipped"/> of the
    /// <paramref name="sampled"/> updates had norm at most <see cref="Clip"/>; returns the new norm.
    /// </summary>
    public double Update(int unclipped, int sampled, GaussianNoise noise)
    {
        if (sampled < 1 || unclipped < 0 || unclipped > sampled) throw new ArgumentException($"{unclipped} unclipped of {sampled} sampled updates");
        var fraction = (unclipped + noise.Next(CountNoise(sampled))) / sampled;
        Clip *= Math.Exp(-Settings.LearningRate * (fraction - Settings.TargetQuantile));
        return Clip;
    }

    /// <summary>Continues from a norm an earlier run reached.</summary>
    public void Restore(double clip) => Clip = clip > 0 ? clip : throw new ArgumentException($"a clipping norm must be positive; got {clip}");
}
