using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

/// <summary>
/// An adversarial client of one's own: its light is honest (the verifier has nothing to flag), but
/// it trains on its images all labelled <paramref name="target"/> and sends its update boosted
/// <paramref name="boost"/> times, to make the global model answer <paramref name="target"/>.
/// </summary>
sealed class TargetedPoisoning(byte target, float boost) : ClientConduct
{
    public override string Spec => $"targeted:{target}x{boost}";

    public override byte[] TrainingLabels(byte[] labels, int classes) => [.. labels.Select(_ => target)];

    public override ClientUpdate Update(ClientUpdate trained, int seed) =>
        trained with { Delta = [.. trained.Delta.Select(d => d * boost)] };
}
