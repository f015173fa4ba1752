namespace QSI.Federation.Privacy;

/// <summary>Who clips the clients' updates and adds the Gaussian noise.</summary>
public enum PrivacyMode
{
    /// <summary>The server clips every update and adds the noise to their sum (trusts the server, not the model's users).</summary>
    Central,

    /// <summary>
    /// Every client clips its own update and adds its share of the noise, std z C / sqrt(m) for
    /// m sampled clients, so that the sum, which secure aggregation alone reveals, carries the full noise.
    /// </summary>
    Distributed,
}

/// <summary>
/// How the clipping norm follows the updates (Andrew et al. 2021, "Differentially private learning
/// with adaptive clipping"): each round the server counts the updates the norm left unclipped, noises
/// the count, and moves the norm geometrically toward the <see cref="TargetQuantile"/> of the norms.
/// </summary>
public sealed record AdaptiveClipSettings
{
    /// <summary>Fraction gamma of the updates the norm should leave unclipped, in (0, 1); 0.5 tracks the median norm.</summary>
    public double TargetQuantile { get; init; } = 0.5;

    /// <summary>Step eta of the geometric update C &lt;- C exp(-eta (b - gamma)).</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>Standard deviation sigma_b of the noise on the count of unclipped updates; null for m / 20, the paper's choice.</summary>
    public double? CountNoise { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public AdaptiveClipSettings Validated()
    {
        if (TargetQuantile is not (> 0 and < 1)) throw new ArgumentException("the adaptive clip's target quantile must be in (0, 1)");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException("the adaptive clip's learning rate must be positive");
        if (CountNoise is { } s && (!(s > 0) || double.IsInfinity(s))) throw new ArgumentException("the noise on the count of unclipped updates must be positive");
        return this;
    }
}

/// <summary>
/// User-level differential privacy of the clients' updates, as DP-FedAvg (McMahan et al. 2018) and
/// Flower's DifferentialPrivacy wrappers give it: every update's change is clipped to L2 norm C,
/// Gaussian noise of std z C is added to their sum, and the sum is divided by the number of clients
/// sampled. A Renyi accountant (<see cref="RenyiAccountant"/>) turns the rounds into (epsilon, delta).
/// </summary>
public sealed record DifferentialPrivacySettings
{
    /// <summary>Central (the server clips and adds) or distributed (each client does, before masking).</summary>
    public PrivacyMode Mode { get; init; } = PrivacyMode.Central;

    /// <summary>Noise multiplier z: the noise on the sum has std z C.</summary>
    public double NoiseMultiplier { get; init; } = 1.0;

    /// <summary>The clipping norm C; with <see cref="Adaptive"/>, its value in round 1.</summary>
    public double Clip { get; init; } = 1.0;

    /// <summary>How the clipping norm adapts; null for a fixed norm.</summary>
    public AdaptiveClipSettings? Adaptive { get; init; }

    /// <summary>The delta of the (epsilon, delta) guarantee; it should be well below 1 / (number of clients).</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>The run stops before the round that would take epsilon past this; null for no limit.</summary>
    public double? TargetEpsilon { get; init; }

    /// <summary>
    /// Seed of the noise, for reproducible experiments; null draws it from the operating system's
    /// cryptographic generator, as a deployment must: whoever knows the seed can subtract the noise.
    /// </summary>
    public int? NoiseSeed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public DifferentialPrivacySettings Validated()
    {
        if (!(NoiseMultiplier > 0) || double.IsInfinity(NoiseMultiplier)) throw new ArgumentException("the noise multiplier must be positive");
        if (!(Clip > 0) || double.IsInfinity(Clip)) throw new ArgumentException("the clipping norm must be positive");
        if (Delta is not (> 0 and < 1)) throw new ArgumentException("delta must be in (0, 1)");
        if (TargetEpsilon is { } e && (!(e > 0) || double.IsInfinity(e))) throw new ArgumentException("the target epsilon must be positive");
        if (Adaptive is { } adaptive)
        {
            adaptive.Validated();
            if (Mode == PrivacyMode.Distributed)
                throw new ArgumentException("adaptive clipping needs the server to see which updates it clipped; use it with central privacy");
        }
        return this;
    }
}
