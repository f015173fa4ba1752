using Akka.Actor;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Protocol.Verification;

namespace QSI.Actors.Roles;

/// <summary>
/// The clients' replies and the verifier's verdicts, each admitted only from the party that may
/// send it (<see cref="IssuedRequests{T}"/>), and what each does to its task.
/// </summary>
public sealed partial class TrainingServerActor
{
    private void ReceiveReplies()
    {
        Receive<Training.Update>(Update);
        Receive<BlobDownload.Completed>(Downloaded);
        Receive<BlobDownload.Failed>(failed =>
        {
            if (_phase is not null && _phase.Updates.Remove(failed.Offer.Id, out var pending) && _requests.Find(pending.RequestId) is { } issued)
                Settle(issued, t => t.Left($"its update could not be pulled: {failed.Reason}"));
        });
        Receive<Training.Evaluated>(e =>
        {
            if (_requests.Reply(e.RequestId, e.ClientId, Sender, "an evaluation") is not { } issued) return;
            Concluding(issued);
            Settle(issued, t =>
            {
                if (t.Kind == TaskKind.Evaluate && e.Samples == t.Samples) t.Evaluated(new Evaluation(e.Samples, e.Correct, e.Loss));
                else t.Left($"its evaluation covered {e.Samples} samples of a {t.Kind.ToString().ToLowerInvariant()} task over {t.Samples}");
            });
        });
        Receive<Training.Declined>(d =>
        {
            if (_requests.Reply(d.RequestId, d.ClientId, Sender, "a refusal") is { } issued) Settle(issued, t => t.Declined(d.Reason));
        });
        Receive<Training.Failed>(f =>
        {
            if (_requests.Reply(f.RequestId, f.ClientId, Sender, "a failure") is { } issued) Settle(issued, t => t.Left($"it failed: {f.Reason}"));
        });
        Receive<Verification.TaskVerdict>(verdict =>
        {
            if (_requests.Verdict(verdict, Sender) is not { } issued) return;
            Settle(issued, task =>
            {
                if (verdict.Problem is { } problem) task.Unverifiable(problem, verdict.Measured);
                else task.Verified(new VerifierVerdict(verdict.Accepted, verdict.Transmission, verdict.ExcessNoise, verdict.TransmissionScore, verdict.ExcessNoiseScore));
            });
        });
    }

    private void Update(Training.Update update)
    {
        if (_requests.Reply(update.RequestId, update.ClientId, Sender, "an update") is not { } issued || _phase is not { } phase) return;
        var task = issued.State;
        if (task.IsSettled) return;
        if (task.Kind != TaskKind.Fit || update.Samples != task.Samples)
        {
            Settle(issued, t => t.Left($"its update covered {update.Samples} samples of a {t.Kind.ToString().ToLowerInvariant()} task over {t.Samples}"));
            return;
        }
        if (update.Masked != (phase.Masking is not null))
        {
            Settle(issued, t => t.Left(update.Masked ? "it masked an update that was to travel in the clear" : "it sent its update unmasked under secure aggregation"));
            return;
        }
        if (phase.Masking is { } masking && !masking.MayMask(task.ClientId))
        {
            Settle(issued, t => t.Left("it sent a masked update without taking part in the key exchange"));
            return;
        }
        if (phase.Updates.Values.Any(p => p.RequestId == update.RequestId)) return;
        Concluding(issued);
        if (Handover.IsInProcess(update.Delta))
        {
            TakeUpdate(issued, update);
            return;
        }
        phase.Updates[update.Delta.Id] = new PendingUpdate(update.RequestId, update.TrainLoss, update.Masked, new Pulls(Context, [update.Delta]));
    }

    private void Downloaded(BlobDownload.Completed completed)
    {
        if (_phase is not { } phase || !phase.Updates.Remove(completed.Offer.Id, out var pending) || pending.Pull.Accept(completed) < 0) return;
        if (_requests.Find(pending.RequestId) is not { } issued) return;
        Settle(issued, task =>
        {
            try
            {
                if (pending.Masked) task.TrainedMasked(MaskedSum.Decode(completed.Payload, _training.Model.ParameterCount), pending.TrainLoss);
                else task.Trained(new Federation.Strategies.ClientUpdate(task.ClientId, ModelParameters.Decode(completed.Payload, _training.Model.ParameterCount), task.Samples), pending.TrainLoss);
            }
            catch (FormatException e)
            {
                task.Rejected($"its update is malformed: {e.Message}");
            }
        });
    }

    /// <summary>An unmasked update handed over in this process: its values, taken once, as the client left them.</summary>
    private void TakeUpdate(IssuedRequests<TaskProgress>.Issued issued, Training.Update update)
    {
        Settle(issued, task =>
        {
            try
            {
                if (update.Masked) throw new InvalidOperationException("a masked update travels for pulling");
                var delta = Handover.Of(Context.System).Take<float[]>(update.Delta, Self);
                if (delta.Length != _training.Model.ParameterCount)
                    throw new InvalidOperationException($"{delta.Length} values; the model has {_training.Model.ParameterCount}");
                task.Trained(new Federation.Strategies.ClientUpdate(task.ClientId, delta, task.Samples), update.TrainLoss);
            }
            catch (InvalidOperationException e)
            {
                task.Rejected($"its update is malformed: {e.Message}");
            }
        });
        if (issued.State.IsFolded) Handover.Of(Context.System).Released(_training.Model.ParameterCount * sizeof(float));
    }

    /// <summary>The client says its task is done: its verifier is to conclude, naming any light that never came back.</summary>
    private static void Concluding(IssuedRequests<TaskProgress>.Issued issued)
    {
        if (issued.Verifier is { } verifier && issued.State.Verdict is null && !issued.State.IsSettled)
            verifier.Tell(new Verification.Conclude(issued.RequestId, issued.Seal));
    }

    /// <summary>Applies <paramref name="change"/> to a task of the current phase, then closes the phase if every task is settled.</summary>
    private void Settle(IssuedRequests<TaskProgress>.Issued issued, Action<TaskProgress> change)
    {
        if (_phase is not { } phase || !phase.Tasks.ContainsKey(issued.RequestId)) return;
        if (SurvivorGone(phase, issued.ClientId)) return;
        var task = issued.State;
        var wasSettled = task.IsSettled;
        change(task);
        if (phase.Kind == TaskKind.Fit) _training.Progressed();
        if (!wasSettled && task.IsSettled)
        {
            _observer.Tell(new TaskSettled(_training.Round, phase.Kind, task.ClientId));
            // A client that is out holds up no step of secure aggregation.
            if (!task.WouldCount) phase.Masking?.Excuse(task.ClientId);
        }
        if (phase.Masking is not null) MaskingProgressed(late: false);
        if (_phase != phase) return;
        CloseIfSettled();
    }
}
