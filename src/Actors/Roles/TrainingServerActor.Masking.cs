using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;

namespace QSI.Actors.Roles;

/// <summary>
/// The server's part in secure aggregation (docs/FEDERATED.md): it relays the clients' masking
/// keys once all are in (or after <see cref="StepTimeout"/>, leaving out those without a key), and
/// when the fit phase is settled asks the survivors to reveal what removes their masks, then
/// unmasks the sum through <see cref="MaskedAggregation"/>.
/// </summary>
public sealed partial class TrainingServerActor
{
    /// <summary>How long the steps of secure aggregation (keys, reveals) may take: a tenth of the round's deadline.</summary>
    private TimeSpan StepTimeout => _training.Settings.RoundTimeout / 10;

    /// <summary>Relays the keys collected to every client that sent one; with <paramref name="late"/>, those without a key are out.</summary>
    private void RelayKeys(bool late)
    {
        if (_phase is not { Masking: { KeysRelayed: false } masking } phase) return;
        Timers.Cancel("keys");
        if (late)
        {
            foreach (var task in phase.Tasks.Values.Where(t => t.Issue is not null && !t.IsSettled && !masking.Keys.ContainsKey(t.ClientId)))
            {
                task.MissedDeadline($"it sent no masking key within {StepTimeout.TotalSeconds:0.#} s");
                masking.Excuse(task.ClientId);
                _observer.Tell(new TaskSettled(_training.Round, phase.Kind, task.ClientId));
            }
        }
        var keys = masking.Relay();
        foreach (var (requestId, task) in phase.Tasks.Where(t => keys.ContainsKey(t.Value.ClientId)))
            if (_members.TryGetValue(task.ClientId, out var member)) member.Actor.Tell(new Training.MaskingKeys(requestId, [.. keys.Keys], [.. keys.Values]));
        if (late) CloseIfSettled();
    }

    private void MaskingKey(Training.MaskingKey key)
    {
        if (_phase is not { Masking: { } masking } phase || !phase.Tasks.TryGetValue(key.RequestId, out var task) || task.ClientId != key.ClientId) return;
        if (!masking.AddKey(key.ClientId, key.PublicKey)) return;
        if (masking.KeysComplete) RelayKeys(late: false);
    }

    private void Revealed(Training.MasksRevealed revealed)
    {
        if (_phase is not { Masking: { } masking } phase || !phase.Tasks.TryGetValue(revealed.RequestId, out var task) || task.ClientId != revealed.ClientId) return;
        if (revealed.Peers.Count != revealed.Seeds.Count) return;
        var seeds = revealed.Peers.Zip(revealed.Seeds).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        if (masking.AddReveal(new AggregationReveal(revealed.ClientId, revealed.SelfSeed, seeds)) && masking.RevealsComplete) Unmask();
    }

    /// <summary>Every survivor revealed, or the time for it ran out: unmask the sum if it can be, and close the phase.</summary>
    private void Unmask()
    {
        if (_phase is not { Masking: { Survivors: not null } masking } phase) return;
        Timers.Cancel("reveals");
        var tasks = phase.Tasks.Values.ToArray();
        var missing = masking.MissingReveals.ToHashSet(StringComparer.Ordinal);
        foreach (var task in tasks.Where(t => missing.Contains(t.ClientId)))
            task.Left($"it did not reveal its masks within {StepTimeout.TotalSeconds:0.#} s, so the round's sum could not be unmasked");
        float[]? mean = null;
        if (missing.Count == 0)
        {
            try
            {
                mean = masking.Mean(tasks);
            }
            catch (ArgumentException e)
            {
                _log.Warning("round {0}: the masked sum could not be unmasked: {1}", _training.Round, e.Message);
            }
        }
        ClosePhase(mean);
    }
}
