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
    private sealed record KeyDeadline(long PhaseId) : INoSerializationVerificationNeeded;

    private sealed record RevealDeadline(long PhaseId) : INoSerializationVerificationNeeded;

    /// <summary>How long the steps of secure aggregation (keys, reveals) may take: a tenth of the round's deadline.</summary>
    private TimeSpan StepTimeout => _training.Settings.RoundTimeout / 10;

    private void ReceiveMasking()
    {
        Receive<Training.MaskingKey>(MaskingKey);
        Receive<KeyDeadline>(deadline => { if (deadline.PhaseId == _phase?.Id) RelayKeys(late: true); });
        Receive<Training.MasksRevealed>(Revealed);
        Receive<RevealDeadline>(deadline => { if (deadline.PhaseId == _phase?.Id) Unmask(); });
    }

    private void StartMasking(Phase phase)
    {
        phase.Masking = new MaskedAggregation(phase.Tasks.Values.Where(t => t.Issue is not null).Select(t => t.ClientId));
        Timers.StartSingleTimer("keys", new KeyDeadline(phase.Id), StepTimeout);
    }

    private void CancelMaskingTimers()
    {
        Timers.Cancel("keys");
        Timers.Cancel("reveals");
    }

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
        foreach (var issued in _requests.All.Where(r => keys.ContainsKey(r.ClientId)))
            issued.Client.Tell(new Training.MaskingKeys(issued.RequestId, [.. keys.Keys], [.. keys.Values]));
        if (late) CloseIfSettled();
    }

    private void MaskingKey(Training.MaskingKey key)
    {
        if (_requests.Reply(key.RequestId, key.ClientId, Sender, "a masking key") is null || _phase is not { Masking: { } masking }) return;
        if (!masking.AddKey(key.ClientId, key.PublicKey)) return;
        if (masking.KeysComplete) RelayKeys(late: false);
    }

    /// <summary>The fit phase is settled: ask every survivor to reveal what removes the masks.</summary>
    private void AskForReveals(Phase phase)
    {
        var masking = phase.Masking!;
        if (masking.Survivors is not null) return;
        if (!masking.KeysRelayed) RelayKeys(late: true);
        var survivors = masking.SetSurvivors(_training.Survivors([.. phase.Tasks.Values]));
        if (survivors.Count == 0)
        {
            ClosePhase(null);
            return;
        }
        foreach (var issued in _requests.All.Where(r => survivors.Contains(r.ClientId)))
            issued.Client.Tell(new Training.RevealMasks(issued.RequestId, survivors));
        Timers.StartSingleTimer("reveals", new RevealDeadline(phase.Id), StepTimeout);
    }

    private void Revealed(Training.MasksRevealed revealed)
    {
        if (_requests.Reply(revealed.RequestId, revealed.ClientId, Sender, "a reveal of masks") is null || _phase is not { Masking: { } masking }) return;
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
