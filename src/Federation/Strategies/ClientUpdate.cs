namespace QSI.Federation.Strategies;

/// <summary>
/// One client's contribution to a round: the change it made to the global parameters during
/// its local training (new minus old, flattened in the order of <c>Mlp.Parameters</c>).
/// </summary>
/// <param name="ClientId">The client's name; aggregation orders updates by it.</param>
/// <param name="Delta">Parameter change, one value per parameter.</param>
/// <param name="Samples">Local samples the update was trained on (its weight in averages).</param>
public sealed record ClientUpdate(string ClientId, float[] Delta, int Samples);
