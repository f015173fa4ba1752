using Akka.Actor;
using QSI.Actors.Conversation;
using QSI.Actors.Messages;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>The server's dispatch of a task: the light to its client, the references to its verifier, then the task.</summary>
public sealed partial class TrainingServerActor
{
    private sealed record Dispatched(long PhaseId, long RequestId) : INoSerializationVerificationNeeded;

    private sealed record DispatchFailed(long PhaseId, long RequestId, string Reason) : INoSerializationVerificationNeeded;

    private void ReceiveDispatch()
    {
        Receive<Dispatched>(_ => { });
        Receive<DispatchFailed>(failed =>
        {
            if (failed.PhaseId == _phase?.Id && _requests.Find(failed.RequestId) is { } issued)
                Settle(issued, t => t.Left($"the server could not send it its task: {failed.Reason}"));
        });
    }

    private void Dispatch(long phaseId, IssuedRequests<TaskProgress>.Issued issued, TaskIssue issue)
    {
        var settings = _training.Settings;
        var noiseStream = RunSeeds.For(settings.Seed, RunSeeds.Purpose.Verifier, RunSeeds.StableHash(issue.ClientId), issue.Task.Round, (long)issue.Task.Kind);
        var task = issue.Task;
        var plan = task.Plan;
        var message = (IReadOnlyList<Blobs.Offer> light) => new Training.Task(issued.RequestId, task.Round, (Training.TaskKindCode)task.Kind, plan.Epochs,
            plan.BatchSize, plan.LearningRate, plan.ProximalTerm, plan.SingleStep, task.Samples, task.Passes, light, issued.Verifier,
            task.Kind == TaskKind.Fit && settings.SecureAggregation, task.Privacy);
        var self = Self;
        var expect = (Blobs.Offer[] offers) => new Verification.Expect(issued.ClientId, issued.RequestId, issued.Seal, 1, offers, issue.Uses,
            issued.Client, self, settings.FalseAlarmRate, noiseStream);
        if (_inProcess && Handover.IsLocal(issued.Client) && (issue.References.Count == 0 || issued.Verifier is { } v && Handover.IsLocal(v)))
        {
            HandOver(phaseId, issued, issue, message, expect, self).PipeTo(self);
            return;
        }
        var payloads = issue.Light switch
        {
            OpticalTaskLight optical => optical.All.Select(LightWire.Encode).ToArray(),
            ClearTaskLight clear => [ModelParameters.Encode(clear.Parameters)],
            _ => throw new InvalidOperationException($"light of type {issue.Light.GetType().Name}"),
        };
        var references = issue.References.Select(LightWire.Encode).ToArray();
        Send(phaseId, issued, payloads, issue.Light is OpticalTaskLight ? "frame" : "parameters", references, message, expect, self).PipeTo(self);
    }

    /// <summary>
    /// The in-process form of <see cref="Send"/>: the client's light (its own frames, over the
    /// round's shared encodings) and the verifier's references are shelved as objects, not serialized.
    /// </summary>
    private async Task<object> HandOver(long phaseId, IssuedRequests<TaskProgress>.Issued issued, TaskIssue issue,
        Func<IReadOnlyList<Blobs.Offer>, Training.Task> task, Func<Blobs.Offer[], Verification.Expect> expect, IActorRef self)
    {
        var handover = Handover.Of(Context.System);
        var phase = _phase!;
        var light = handover.Shelve(issue.Light, issue.Light is OpticalTaskLight ? "light" : "parameters", issued.Client, self);
        phase.Shelved.Add(light);
        try
        {
            if (issue.References.Count > 0)
            {
                var verifier = issued.Verifier ?? throw new InvalidOperationException("no verifier is in the federation");
                var references = handover.Shelve(issue.References.ToArray(), "references", verifier, self);
                phase.Shelved.Add(references);
                await LightDispatch.Expect(verifier, expect([references]));
            }
            issued.Client.Tell(task([light]), self);
            return new Dispatched(phaseId, issued.RequestId);
        }
        catch (InvalidOperationException e)
        {
            return new DispatchFailed(phaseId, issued.RequestId, e.Message);
        }
    }

    /// <summary>Offers the task's light to the client and its references to the verifier, then sends the task; runs off the actor's thread.</summary>
    private async Task<object> Send(long phaseId, IssuedRequests<TaskProgress>.Issued issued, byte[][] payloads, string kind, byte[][] references,
        Func<IReadOnlyList<Blobs.Offer>, Training.Task> task, Func<Blobs.Offer[], Verification.Expect> expect, IActorRef self)
    {
        try
        {
            var light = await LightDispatch.Offer(_store, payloads, kind, issued.Client);
            if (references.Length > 0)
            {
                var verifier = issued.Verifier ?? throw new InvalidOperationException("no verifier is in the federation");
                await LightDispatch.Expect(verifier, expect(await LightDispatch.Offer(_store, references, "reference", verifier)));
            }
            issued.Client.Tell(task(light), self);
            return new Dispatched(phaseId, issued.RequestId);
        }
        catch (InvalidOperationException e)
        {
            return new DispatchFailed(phaseId, issued.RequestId, e.Message);
        }
    }
}
