using QSI.Federation.Strategies;

namespace QSI.Federation.Privacy;

/// <summary>What differential privacy did in one round, as the metrics history records it.</summary>
/// <param name="SamplingRate">q: the clients sampled to fit over those available.</param>
/// <param name="NoiseMultiplier">The noise multiplier the round was accounted with (z, or less when distributed shares were missing); 0 when nothing was released.</param>
/// <param name="Clip">The clipping norm of the round.</param>
/// <param name="NextClip">The clipping norm of the next round (it differs under adaptive clipping).</param>
/// <param name="UnclippedFraction">Under central privacy, the fraction of the updates received that the norm left unclipped (not noised: for the operator only).</param>
public sealed record RoundPrivacy(double SamplingRate, double NoiseMultiplier, double Clip, double NextClip, double? UnclippedFraction);

/// <summary>
/// The server's side of differential privacy over a run (<see cref="DifferentialPrivacySettings"/>):
/// the clipping norm, fixed or adaptive, the release of each round's privatized mean update, and
/// the Renyi accountant of the rounds released so far.
/// </summary>
public sealed class UpdatePrivacy
{
    private readonly AdaptiveClip? _adaptive;

    /// <summary>Differential privacy by <paramref name="settings"/>, nothing spent yet.</summary>
    public UpdatePrivacy(DifferentialPrivacySettings settings)
    {
        Settings = settings.Validated();
        _adaptive = settings.Adaptive is { } adaptive ? new AdaptiveClip(settings.Clip, adaptive) : null;
    }

    /// <summary>The settings.</summary>
    public DifferentialPrivacySettings Settings { get; }

    /// <summary>The clipping norm of the next release.</summary>
    public double Clip => _adaptive?.Clip ?? Settings.Clip;

    /// <summary>The accountant of the rounds released so far.</summary>
    public RenyiAccountant Accountant { get; } = new();

    /// <summary>Epsilon spent so far, at the settings' delta.</summary>
    public double Epsilon => Accountant.Spent(Settings.Delta).Epsilon;

    /// <summary>Epsilon once a round at sampling rate <paramref name="q"/> is released with the full noise.</summary>
    public double EpsilonAfter(double q) => Accountant.EpsilonAfter(q, Settings.NoiseMultiplier, Settings.Delta);

    /// <summary>What a fit task tells its client: its clip and noise share under distributed privacy; null under central privacy.</summary>
    public ClientPrivacy? ForClients(int sampled) => Settings.Mode == PrivacyMode.Distributed
        ? new ClientPrivacy(Clip, Settings.NoiseMultiplier * Clip / Math.Sqrt(sampled))
        : null;

    /// <summary>
    /// The round's privatized mean change from <paramref name="updates"/> (the clients' changes under
    /// central privacy; their privatized uploads, or the secure mean of them, under distributed privacy),
    /// with <paramref name="contributors"/> clients in them of the <paramref name="sampled"/> sampled at rate
    /// <paramref name="q"/>. Charges the accountant, moves an adaptive norm, and says what it did.
    /// </summary>
    public (ClientUpdate? Mean, RoundPrivacy Record) Release(IReadOnlyList<ClientUpdate> updates, int contributors, int sampled, double q, GaussianNoise noise)
    {
        if (sampled < 1) throw new ArgumentException("a round samples at least one client");
        var clip = Clip;
        if (updates.Count == 0 || contributors == 0) return (null, new RoundPrivacy(q, 0, clip, clip, null));
        var sum = new double[updates[0].Delta.Length];
        double? unclipped = null;
        double z;
        if (Settings.Mode == PrivacyMode.Central)
        {
            var within = 0;
            foreach (var update in updates)
            {
                var clipped = update.Delta.ToArray();
                if (Clipping.ClipInPlace(clipped, clip) <= clip) within++;
                for (var k = 0; k < sum.Length; k++) sum[k] += clipped[k];
            }
            var zUpdates = _adaptive is null ? Settings.NoiseMultiplier : AdaptiveClip.UpdateNoiseMultiplier(Settings.NoiseMultiplier, _adaptive.CountNoise(sampled));
            for (var k = 0; k < sum.Length; k++) sum[k] += noise.Next(zUpdates * clip);
            _adaptive?.Update(within, sampled, noise);
            unclipped = within / (double)updates.Count;
            z = Settings.NoiseMultiplier;
        }
        else
        {
            foreach (var update in updates)
                for (var k = 0; k < sum.Length; k++) sum[k] += (double)update.Samples * update.Delta[k];
            // Each of the m sampled clients adds std z C / sqrt(m); with only k of them in the sum its multiplier is z sqrt(k / m).
            z = Settings.NoiseMultiplier * Math.Sqrt(Math.Min(contributors, sampled) / (double)sampled);
        }
        Accountant.Compose(q, z);
        var mean = sum.Select(s => (float)(s / sampled)).ToArray();
        return (new ClientUpdate("dp-mean", mean, updates.Sum(u => u.Samples)), new RoundPrivacy(q, z, clip, Clip, unclipped));
    }

    /// <summary>Continues from the rounds an earlier run released: their charges and the norm they left.</summary>
    public void Restore(IEnumerable<RoundPrivacy> rounds)
    {
        RoundPrivacy? last = null;
        foreach (var round in rounds)
        {
            if (round.NoiseMultiplier > 0) Accountant.Compose(round.SamplingRate, round.NoiseMultiplier);
            last = round;
        }
        if (last is not null) _adaptive?.Restore(last.NextClip);
    }
}
