using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Federation.Privacy.SecAgg;
using QSI.Federation.Rounds;

namespace QSI.Actors.Roles;

/// <summary>
/// The server's part in secure aggregation (docs/FEDERATED.md): it moves <see cref="SecAggServer"/>
/// through its rounds, relaying the keys, the sealed shares and the signatures between the
/// clients of the fit phase, each step closing when every client still in has answered or after
/// <see cref="StepTimeout"/>, and unmasks the sum from the shares of any t of them.
/// </summary>
public sealed partial class TrainingServerActor
{
    private sealed record StepDeadline(long PhaseId, SecAggServer.Step Step) : INoSerializationVerificationNeeded;

    /// <summary>How long each step of secure aggregation (keys, shares, signatures, reveals) may take: a tenth of the round's deadline.</summary>
    private TimeSpan StepTimeout => _training.Settings.RoundTimeout / 10;

    private void ReceiveMasking()
    {
        Receive<Training.MaskingKey>(key => Step(key.RequestId, key.ClientId, "a masking key", (m, c) => m.AddKeys(c, key.Keys)));
        Receive<Training.KeyShares>(shares => Step(shares.RequestId, shares.ClientId, "key shares", (m, c) => m.AddShares(c, shares.Envelopes)));
        Receive<Training.SurvivorsSigned>(signed => Step(signed.RequestId, signed.ClientId, "a signature", (m, c) => m.AddSignature(c, signed.Signature)));
        Receive<Training.MasksRevealed>(revealed => Step(revealed.RequestId, revealed.ClientId, "a reveal of shares", (m, c) => m.AddReveal(c, revealed.Shares)));
        Receive<StepDeadline>(deadline =>
        {
            if (deadline.PhaseId == _phase?.Id && _phase.Masking?.At == deadline.Step) MaskingProgressed(late: true);
        });
    }

    private void StartMasking(Phase phase)
    {
        phase.Masking = new SecAggServer(phase.Tasks.Values.Where(t => t.Issue is not null).Select(t => t.ClientId), _training.Round, _training.Settings.SecAggThreshold);
        StartStepTimer(phase);
    }

    private void StartStepTimer(Phase phase) => Timers.StartSingleTimer("secagg", new StepDeadline(phase.Id, phase.Masking!.At), StepTimeout);

    private void CancelMaskingTimers() => Timers.Cancel("secagg");

    /// <summary>A client's answer to the current step, admitted only from the client of that task, and the step closed once no one is awaited.</summary>
    private void Step(long requestId, string clientId, string what, Func<SecAggServer, string, bool> add)
    {
        if (_requests.Reply(requestId, clientId, Sender, what) is null || _phase is not { Masking: { } masking }) return;
        if (!add(masking, clientId))
        {
            _log.Warning("round {0}: {1} from client {2} was refused at the {3} step of secure aggregation", _training.Round, what, clientId, masking.At);
            return;
        }
        MaskingProgressed(late: false);
    }

    /// <summary>Closes the current step if no one is awaited in it (or, <paramref name="late"/>, its time is up) and starts the next.</summary>
    private void MaskingProgressed(bool late)
    {
        if (_phase is not { Masking: { } masking } phase || (!late && !masking.StepComplete)) return;
        switch (masking.At)
        {
            case SecAggServer.Step.Keys:
                RelayKeys(phase, masking, late);
                break;
            case SecAggServer.Step.Shares:
                ForwardShares(phase, masking, late);
                break;
            case SecAggServer.Step.Signatures:
                ForwardSignatures(phase, masking);
                break;
            case SecAggServer.Step.Reveals:
                Unmask();
                break;
        }
    }

    private void RelayKeys(Phase phase, SecAggServer masking, bool late)
    {
        Timers.Cancel("secagg");
        if (late) DropLate(phase, masking, "masking keys");
        var roster = masking.RelayKeys();
        string[] clients = [.. roster?.Keys ?? []];
        AdvertisedKeys[] keys = [.. roster?.Values ?? []];
        if (!Send(phase, masking, roster, (request, _) => new Training.MaskingKeys(request, masking.Threshold, clients, keys))) return;
        StartStepTimer(phase);
        if (late) CloseIfSettled();
    }

    private void ForwardShares(Phase phase, SecAggServer masking, bool late)
    {
        Timers.Cancel("secagg");
        if (late) DropLate(phase, masking, "key shares");
        if (Send(phase, masking, masking.ForwardShares(), (request, envelopes) => new Training.ForwardedShares(request, envelopes)) && late) CloseIfSettled();
    }

    /// <summary>
    /// Tells every client that <paramref name="step"/> (what a step of <see cref="SecAggServer"/>
    /// gives out, by client) names its message; false, the aggregation over, when it gave out nothing.
    /// </summary>
    private bool Send<T>(Phase phase, SecAggServer masking, IReadOnlyDictionary<string, T>? step, Func<long, T, IWireMessage> message)
    {
        if (step is null)
        {
            MaskingFailed(phase, masking);
            return false;
        }
        foreach (var issued in _requests.All.Where(r => step.ContainsKey(r.ClientId))) issued.Client.Tell(message(issued.RequestId, step[issued.ClientId]));
        return true;
    }

    /// <summary>Clients still awaited when a step's time is up are stragglers: out of the phase.</summary>
    private void DropLate(Phase phase, SecAggServer masking, string what)
    {
        var late = masking.Awaited.ToHashSet(StringComparer.Ordinal);
        foreach (var task in phase.Tasks.Values.Where(t => late.Contains(t.ClientId)))
        {
            masking.Excuse(task.ClientId);
            if (task.IsSettled) continue;
            task.MissedDeadline($"it sent no {what} within {StepTimeout.TotalSeconds:0.#} s");
            _observer.Tell(new TaskSettled(_training.Round, phase.Kind, task.ClientId));
        }
    }

    /// <summary>The fit phase is settled: the survivors, whose masked updates count, sign the list (the consistency check).</summary>
    private void AskForReveals(Phase phase)
    {
        var masking = phase.Masking!;
        if (masking.Survivors is not null) return;
        if (masking.At == SecAggServer.Step.Keys) RelayKeys(phase, masking, late: true);
        if (masking.At == SecAggServer.Step.Shares) ForwardShares(phase, masking, late: true);
        if (_phase != phase || masking.At != SecAggServer.Step.Masking) return;
        if (masking.ChooseSurvivors(_training.Survivors([.. phase.Tasks.Values])) is not { } survivors)
        {
            MaskingFailed(phase, masking);
            return;
        }
        foreach (var issued in _requests.All.Where(r => survivors.Contains(r.ClientId)))
            issued.Client.Tell(new Training.SignSurvivors(issued.RequestId, survivors));
        StartStepTimer(phase);
    }

    private void ForwardSignatures(Phase phase, SecAggServer masking)
    {
        Timers.Cancel("secagg");
        var signatures = masking.ForwardSignatures();
        string[] signers = [.. signatures?.Keys ?? []];
        byte[][] values = [.. signatures?.Values ?? []];
        if (Send(phase, masking, signatures, (request, _) => new Training.RevealMasks(request, masking.Survivors!, signers, values))) StartStepTimer(phase);
    }

    /// <summary>Every signer revealed, or the time for it ran out: unmask the sum if t revealed, and close the phase.</summary>
    private void Unmask()
    {
        if (_phase is not { Masking: { Survivors: not null } masking } phase) return;
        Timers.Cancel("secagg");
        if (!masking.CanUnmask)
        {
            masking.Abandon($"{masking.Revealed} clients revealed their shares within {StepTimeout.TotalSeconds:0.#} s, fewer than the threshold of {masking.Threshold}");
            MaskingFailed(phase, masking);
            return;
        }
        float[]? mean = null;
        var tasks = phase.Tasks.Values.Where(t => masking.Survivors.Contains(t.ClientId)).ToArray();
        try
        {
            mean = masking.Mean(tasks.Where(t => t.MaskedUpdate is not null).ToDictionary(t => t.ClientId, t => t.MaskedUpdate!, StringComparer.Ordinal),
                tasks.ToDictionary(t => t.ClientId, t => t.Samples, StringComparer.Ordinal));
        }
        catch (ArgumentException e)
        {
            _log.Warning("round {0}: the masked sum could not be unmasked: {1}", _training.Round, e.Message);
        }
        ClosePhase(mean);
    }

    /// <summary>
    /// A survivor's update is in the masked sum, so nothing that happens to it later (it leaves,
    /// fails) changes its outcome: it is only no longer awaited, and its self mask is rebuilt
    /// from the others' shares. True when <paramref name="client"/> is such a survivor.
    /// </summary>
    private bool SurvivorGone(Phase phase, string client)
    {
        if (phase.Masking is not { Survivors: { } survivors } masking || !survivors.Contains(client)) return false;
        masking.Excuse(client);
        MaskingProgressed(late: false);
        return true;
    }

    /// <summary>Too few clients to go on: the clients still working are out, and the round keeps the old model.</summary>
    private void MaskingFailed(Phase phase, SecAggServer masking)
    {
        var reason = $"secure aggregation could not finish: {masking.Failure}";
        _log.Warning("round {0}: {1}; the model is not updated", _training.Round, reason);
        foreach (var task in phase.Tasks.Values.Where(t => !t.IsSettled))
        {
            task.Left(reason);
            _observer.Tell(new TaskSettled(_training.Round, phase.Kind, task.ClientId));
        }
        ClosePhase(null);
    }
}
