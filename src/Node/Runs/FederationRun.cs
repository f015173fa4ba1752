using Akka.Actor;
using System.Collections.Concurrent;
using QSI.Actors.Roles;
using QSI.Federation.Rounds;

namespace QSI.Node.Runs;

/// <summary>How a federated run ended.</summary>
/// <param name="Completed">True when every round ran.</param>
/// <param name="Problem">Why it could not go on, when it did not complete and was not stopped by the user.</param>
internal sealed record RunEnd(bool Completed, string? Problem);

/// <summary>
/// Follows a federated run from the command's thread: every round the server completes (its
/// checkpoint already written by the server, before it went on) has its metrics and plots
/// rewritten before the display shows it, so what the user sees is on disk. Ends when the training completes, the user stops it, or no client is left.
/// </summary>
internal static class FederationRun
{
    /// <summary>
    /// Consumes <paramref name="events"/> until the run ends. <paramref name="localClients"/> is
    /// how many clients run in this process (0 when they are elsewhere): when all of them have
    /// given up, the run cannot go on. <paramref name="extraction"/>, if any, compares the extract
    /// adversaries' estimates with each round's model.
    /// </summary>
    public static RunEnd Follow(BlockingCollection<object> events, FederatedTraining training, RunFolder folder, FederationDisplay display,
        int localClients, Terminal terminal, CancellationToken stop, ExtractionTracker? extraction = null)
    {
        var gone = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!events.TryTake(out var message, 200)) continue;
            switch (message)
            {
                case TrainingServerActor.MembersChanged members:
                    display.Members(members.Clients, members.VerifierPresent);
                    break;
                case TrainingServerActor.PhaseStarted phase:
                    display.PhaseStarted(phase.Round, phase.Kind, phase.Clients.Count);
                    break;
                case TrainingServerActor.TaskSettled:
                    display.TaskSettled();
                    break;
                case TrainingServerActor.RoundCompleted completed:
                    folder.WriteMetrics(training.Settings, completed.Checkpoint.History);
                    if (extraction is not null)
                    {
                        extraction.RoundCompleted(completed.Record.Round, completed.Checkpoint.Parameters);
                        folder.WriteExtraction(extraction);
                    }
                    display.RoundCompleted(completed.Record);
                    break;
                case TrainingServerActor.Waiting waiting:
                    // Said in every mode, --json too: an operator must see why nothing happens.
                    terminal.Error.WriteLine($"qsi: round {waiting.Round}: the {waiting.Kind.ToString().ToLowerInvariant()} phase waits for {waiting.For} since {waiting.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z; "
                        + $"the run stops if none comes within {waiting.Timeout.TotalSeconds:0.#} s (--wait-timeout)");
                    break;
                case TrainingServerActor.GaveUp gaveUp:
                    return new RunEnd(false, gaveUp.Reason);
                case TrainingServerActor.TrainingCompleted:
                    if (training.Stopped is { } stopped) terminal.Error.WriteLine($"qsi: {stopped}");
                    return new RunEnd(true, null);
                case TrainingClientActor.Done { Failure: { } failure } done:
                    terminal.Error.WriteLine($"qsi: warning: client {done.ClientId} gave up: {failure}");
                    if (localClients > 0 && ++gone == localClients)
                        return new RunEnd(false, $"every client gave up before round {training.Round} was done (the last: {failure})");
                    break;
            }
        }
        return new RunEnd(false, null);
    }

    /// <summary>
    /// Stops <paramref name="server"/> the moment <paramref name="stop"/> is signalled, between two of
    /// its messages: a fast training would otherwise run on, round after round, while this thread
    /// catches up with its events. Dispose the registration once the run is followed.
    /// </summary>
    public static CancellationTokenRegistration HaltOn(CancellationToken stop, IActorRef server) =>
        stop.Register(() => server.Tell(PoisonPill.Instance));

    /// <summary>
    /// Stops the training server between two of its messages and waits until it has, so that no
    /// round completes (nor is checkpointed) after the run ended: a run stopped by the user ends at
    /// the round it said.
    /// </summary>
    public static void Halt(IActorRef server)
    {
        try
        {
            server.GracefulStop(TimeSpan.FromSeconds(10)).Wait();
        }
        catch (AggregateException e) when (e.InnerException is TaskCanceledException or Akka.Actor.AskTimeoutException)
        {
            // Busy for longer than that: the node's shutdown stops it.
        }
    }
}
