using QSI.Federation.Models;
using QSI.Federation.Strategies;
using QSI.Protocol.Verification;

namespace QSI.Federation.Rounds;

/// <summary>
/// One client's task in the current phase, as the server hears of it: the client's result
/// (update, evaluation or a refusal), the verifier's verdict on its light, or its leaving.
/// A task is settled when its outcome no longer depends on anything still to come.
/// </summary>
public sealed class TaskProgress
{
    private ClientRoundStatus? _status;
    private string? _reason;
    private bool _checked;
    private bool _folded;

    private TaskProgress(string clientId, TaskKind kind, int samples, TaskIssue? issue)
    {
        ClientId = clientId;
        Kind = kind;
        Samples = samples;
        Issue = issue;
    }

    /// <summary>The client.</summary>
    public string ClientId { get; }

    /// <summary>Fit or evaluate.</summary>
    public TaskKind Kind { get; }

    /// <summary>The samples the task covers.</summary>
    public int Samples { get; }

    /// <summary>What the server issued; null when it refused to issue anything.</summary>
    public TaskIssue? Issue { get; }

    /// <summary>The client's update, once it arrived (fit).</summary>
    public ClientUpdate? Update { get; private set; }

    /// <summary>The client's masked update, once it arrived (fit, with secure aggregation).</summary>
    public ulong[]? MaskedUpdate { get; private set; }

    /// <summary>The client's mean training loss (fit).</summary>
    public double? TrainLoss { get; private set; }

    /// <summary>The client's evaluation, once it arrived (evaluate).</summary>
    public Evaluation? Evaluation { get; private set; }

    /// <summary>The verifier's verdict on the task's light, once it arrived.</summary>
    public VerifierVerdict? Verdict { get; private set; }

    /// <summary>True once the verifier measured the task's light (its data is then charged).</summary>
    public bool LightMeasured { get; private set; }

    /// <summary>True when the task needs a verdict (secure runs).</summary>
    public bool NeedsVerdict => Issue?.References.Count > 0;

    /// <summary>True when nothing still to come can change the outcome.</summary>
    public bool IsSettled => _status is not null || (HasResult && (!NeedsVerdict || _checked));

    private bool HasResult => _folded || Update is not null || MaskedUpdate is not null || Evaluation is not null;

    /// <summary>A task the server issued.</summary>
    public static TaskProgress Issued(TaskIssue issue) => new(issue.ClientId, issue.Task.Kind, issue.Task.Samples, issue);

    /// <summary>A task the server refused to issue, settled as <paramref name="status"/> (the weight budget is spent, or the client was flagged this round).</summary>
    public static TaskProgress Refused(string clientId, TaskKind kind, int samples, ClientRoundStatus status, string reason) =>
        new(clientId, kind, samples, null) { _status = status, _reason = reason };

    /// <summary>The client's update arrived.</summary>
    public void Trained(ClientUpdate update, double loss)
    {
        if (_status is not null || HasResult) return;
        Update = update;
        TrainLoss = loss;
    }

    /// <summary>The client's masked update arrived (secure aggregation).</summary>
    public void TrainedMasked(ulong[] masked, double loss)
    {
        if (_status is not null || HasResult) return;
        MaskedUpdate = masked;
        TrainLoss = loss;
    }

    /// <summary>True when the phase's close would use this task's result.</summary>
    public bool WouldCount => _status is null && IsSettled;

    /// <summary>The client's evaluation arrived.</summary>
    public void Evaluated(Evaluation evaluation)
    {
        if (_status is not null || HasResult) return;
        Evaluation = evaluation;
    }

    /// <summary>The client declined the task because its data budget is spent.</summary>
    public void Declined(string reason) => Settle(ClientRoundStatus.DataBudgetSpent, reason);

    /// <summary>The verifier checked the task's light.</summary>
    public void Verified(VerifierVerdict verdict)
    {
        if (_checked) return;
        _checked = true;
        LightMeasured = true;
        Verdict = verdict;
        if (!verdict.Accepted)
            Settle(ClientRoundStatus.Flagged,
                $"the verifier flagged its light: excess noise {verdict.ExcessNoise:G4} SNU ({verdict.ExcessNoiseScore:+0.0;-0.0} sd), transmission {verdict.Transmission:G4} ({verdict.TransmissionScore:+0.0;-0.0} sd)");
    }

    /// <summary>The verifier could not check the task's light (missing, of the wrong frame or shape): the client is flagged.</summary>
    public void Unverifiable(string reason, bool measured)
    {
        if (_checked) return;
        _checked = true;
        LightMeasured = measured;
        Settle(ClientRoundStatus.Flagged, $"the verifier could not check its light: {reason}");
    }

    /// <summary>The client missed a deadline within the phase (a masking key not sent in time, say).</summary>
    public void MissedDeadline(string reason) => Settle(ClientRoundStatus.Straggler, reason);

    /// <summary>The client's update is unusable (<see cref="UpdateCheck"/>): it is discarded.</summary>
    public void Rejected(string reason) => Settle(ClientRoundStatus.Rejected, reason);

    /// <summary>The client left the federation or failed.</summary>
    public void Left(string reason) => Settle(ClientRoundStatus.DroppedOut, reason);

    /// <summary>True once the update was folded into the phase's aggregate (<see cref="UpdateFold"/>): its outcome is final.</summary>
    public bool IsFolded => _folded;

    /// <summary>The update was folded into the phase's aggregate: the server lets it go, and nothing later changes the outcome.</summary>
    public void Folded()
    {
        if (!WouldCount || Update is null) throw new InvalidOperationException($"client {ClientId}'s task has no counting update to fold");
        _folded = true;
        Update = null;
    }

    /// <summary>The outcome at the close of the phase: anything unsettled then is a straggler.</summary>
    public (ClientRoundStatus Status, string? Reason) Close(TimeSpan deadline)
    {
        if (_status is { } status) return (status, _reason);
        return IsSettled
            ? (ClientRoundStatus.Aggregated, null)
            : (ClientRoundStatus.Straggler, $"it did not finish within the round's deadline of {deadline.TotalSeconds:0.#} s");
    }

    private void Settle(ClientRoundStatus status, string reason)
    {
        if (_status is not null || _folded) return;
        _status = status;
        _reason = reason;
    }
}
