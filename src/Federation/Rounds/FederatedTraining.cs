using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Strategies;
using QSI.Federation.Training;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Rounds;

/// <summary>
/// The server's side of a federated training run (PROTOCOL.md section 6): the global model and
/// the strategy, the clients' leakage accounts and the metrics history. A round has two phases,
/// as in Flower: sampled clients fit (frames out, verified updates in, aggregated), the server
/// evaluates the new model on its test set, then sampled clients evaluate it on theirs.
/// Whoever drives the rounds (an actor, a test) reports what each client did through
/// <see cref="TaskProgress"/>; this class decides what it means.
/// </summary>
public sealed class FederatedTraining
{
    private readonly float[] _testInputs;
    private readonly byte[] _testLabels;
    private readonly List<RoundRecord> _history = [];
    private OpticalNetwork? _network;
    private UpdateFold? _fold;
    private (Evaluation Test, double? TrainLoss, bool Updated, IReadOnlyList<ClientRoundOutcome> Fit)? _fitPhase;
    private (int Sampled, int Available)? _fitDraw;
    private RoundPrivacy? _roundPrivacy;

    /// <summary>A run of <paramref name="settings"/> that starts from <paramref name="model"/> (updated in place).</summary>
    public FederatedTraining(FederationSettings settings, Mlp model, float[] testInputs, byte[] testLabels)
        : this(settings, model, testInputs, testLabels, Strategies.Strategy.Create(settings.Strategy, settings.StrategyOptions))
    {
    }

    /// <summary>
    /// A run of <paramref name="settings"/> that combines the updates by <paramref name="strategy"/>
    /// (any <see cref="IStrategy"/>, in place of the one <see cref="FederationSettings.Strategy"/> names),
    /// starting from <paramref name="model"/> (updated in place).
    /// </summary>
    public FederatedTraining(FederationSettings settings, Mlp model, float[] testInputs, byte[] testLabels, IStrategy strategy)
    {
        Settings = settings.Validated(strategy);
        Model = model;
        Shape = ModelShape.Of(model);
        Strategy = strategy;
        Leakage = settings.Plain ? null : new LeakageAccountant(Shape.Depth);
        Privacy = settings.Privacy is { } privacy ? new UpdatePrivacy(privacy) : null;
        if ((long)testLabels.Length * model.InputSize != testInputs.Length)
            throw new ArgumentException($"{testLabels.Length} test labels need {(long)testLabels.Length * model.InputSize} inputs; got {testInputs.Length}");
        _testInputs = testInputs;
        _testLabels = testLabels;
    }

    /// <summary>The run's settings.</summary>
    public FederationSettings Settings { get; }

    /// <summary>The global model.</summary>
    public Mlp Model { get; }

    /// <summary>The global model's shape: all a client knows of it.</summary>
    public ModelShape Shape { get; }

    /// <summary>The strategy.</summary>
    public IStrategy Strategy { get; }

    /// <summary>Every client's leakage so far; null for the plain baseline.</summary>
    public LeakageAccountant? Leakage { get; }

    /// <summary>Differential privacy of the updates: the clip, the noise, epsilon so far; null without.</summary>
    public UpdatePrivacy? Privacy { get; }

    /// <summary>Why the run stopped before its last round (its privacy budget); null while it has not.</summary>
    public string? Stopped { get; private set; }

    /// <summary>One record per completed round.</summary>
    public IReadOnlyList<RoundRecord> History => _history;

    /// <summary>Rounds completed.</summary>
    public int CompletedRounds => _history.Count;

    /// <summary>The round in progress or next to start, from 1.</summary>
    public int Round => CompletedRounds + 1;

    /// <summary>True when every round has run.</summary>
    public bool IsFinished => CompletedRounds >= Settings.Rounds;

    /// <summary>The clients of the current round's <paramref name="kind"/> phase, among <paramref name="available"/>.</summary>
    public IReadOnlyList<string> Sample(TaskKind kind, IEnumerable<string> available)
    {
        if (kind == TaskKind.Evaluate) return ClientSampler.Sample(available, Settings.FractionEvaluate, Settings.MinEvaluateClients, Settings.Seed, Round, kind);
        var candidates = available.ToArray();
        var sampled = ClientSampler.Sample(candidates, Settings.FractionFit, Settings.MinFitClients, Settings.Seed, Round, kind);
        _fitDraw = (sampled.Count, candidates.Length);
        return sampled;
    }

    /// <summary>
    /// True (and <see cref="Stopped"/> says why) when the next round, sampled from <paramref name="available"/>
    /// clients, would take epsilon past the target: the run then ends before it.
    /// </summary>
    public bool StopsForPrivacyBudget(int available)
    {
        if (Stopped is not null) return true;
        if (Privacy is not { Settings.TargetEpsilon: { } target } privacy || available < 1 || IsFinished) return false;
        var sampled = ClientSampler.Count(available, Settings.FractionFit, Settings.MinFitClients);
        var next = privacy.EpsilonAfter(sampled / (double)available);
        if (next <= target) return false;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Stopped = string.Create(invariant, $"stopped before round {Round}: it would take epsilon from {privacy.Epsilon:G4} to {next:G4}, past the target of {target:G4} "
            + $"(delta {privacy.Settings.Delta.ToString("G3", invariant).ToLowerInvariant()})");
        return true;
    }

    /// <summary>
    /// Issues <paramref name="client"/> its task of the current round's <paramref name="kind"/>
    /// phase, charging the weight leakage of its frames, or refuses when that would take the
    /// client past the weight budget, or when the verifier flagged it in this round's fit phase.
    /// </summary>
    public TaskProgress Begin(ClientProfile client, TaskKind kind)
    {
        var plan = Settings.PlanFor(Round, Strategy);
        var task = RoundTask.For(Round, kind, plan, client.SamplesFor(kind));
        if (kind == TaskKind.Fit && Privacy?.ForClients(_fitDraw?.Sampled ?? 1) is { } clientPrivacy) task = task with { Privacy = clientPrivacy };
        if (task.Samples == 0) throw new ArgumentException($"client {client.ClientId} has no samples to {kind.ToString().ToLowerInvariant()}");
        if (Settings.Channel is not { } channel)
            return TaskProgress.Issued(new TaskIssue(client.ClientId, task, new ClearTaskLight(ModelParameters.Flatten(Model)), [], [], null));

        // A client caught in this round's fit phase gets no more light this round: its evaluation would not count.
        if (kind == TaskKind.Evaluate && _fitPhase?.Fit.Any(c => c.ClientId == client.ClientId && c.Status == ClientRoundStatus.Flagged) == true)
            return TaskProgress.Refused(client.ClientId, kind, task.Samples, ClientRoundStatus.Flagged,
                "it was flagged in this round's fit phase, so it gets no light to evaluate with");
        var cost = LeakageCost.Of(Shape, channel, task.ForwardCopies, task.BackwardCopies, task.Passes, Settings.WeightAccounting);
        if (Leakage!.WouldExceedWeights(client.ClientId, cost, Settings.WeightBudget))
            return TaskProgress.Refused(client.ClientId, kind, task.Samples, ClientRoundStatus.WeightBudgetSpent,
                $"its frames would take it past the weight budget of {Settings.WeightBudget:G4} bits per weight ({Leakage.MaxWeightBits(client.ClientId):G4} spent)");
        Leakage.ChargeWeights(client.ClientId, cost);
        return TaskProgress.Issued(Encode(client.ClientId, task, channel, cost));
    }

    /// <summary>
    /// The clients whose updates the fit phase would aggregate as <paramref name="tasks"/> stand:
    /// under secure aggregation, those asked to reveal their masks.
    /// </summary>
    public IReadOnlyList<string> Survivors(IReadOnlyList<TaskProgress> tasks) =>
        [.. tasks.Where(t => t.WouldCount).Select(t => t.ClientId).Order(StringComparer.Ordinal)];

    /// <summary>
    /// True when the fit phase's updates are folded into their mean as they come in: the strategy
    /// uses only the mean, and neither secure aggregation nor differential privacy needs each update.
    /// </summary>
    public bool FoldsUpdates => Strategy.UsesOnlyTheMean && !Settings.SecureAggregation && Privacy is null;

    /// <summary>
    /// The fit phase's tasks are issued: from now on <see cref="Progressed"/> folds each counting
    /// update into the aggregate as soon as its task settles (when <see cref="FoldsUpdates"/>).
    /// </summary>
    public void FitIssued(IEnumerable<TaskProgress> tasks)
    {
        if (FoldsUpdates) _fold = new UpdateFold(tasks, Model.ParameterCount, Settings.MaxUpdateNorm);
    }

    /// <summary>A task of the fit phase changed: folds what can be folded.</summary>
    public void Progressed() => _fold?.Advance();

    /// <summary>
    /// Closes the fit phase: charges the data leakage of every task whose light was measured,
    /// aggregates the verified updates (if enough arrived) and evaluates the new model on the
    /// server's test set. Under secure aggregation the updates are masked: <paramref name="secureMean"/>
    /// is their unmasked sample-weighted mean, or null when it could not be unmasked.
    /// </summary>
    public Evaluation CloseFit(IReadOnlyList<TaskProgress> tasks, float[]? secureMean = null)
    {
        if (_fitPhase is not null) throw new InvalidOperationException($"the fit phase of round {Round} is already closed");
        var fold = _fold;
        _fold = null;
        fold?.Finish();
        Check(tasks, secureMean);
        var closed = Close(tasks);
        var counted = closed.Where(c => c.Outcome.Status == ClientRoundStatus.Aggregated).Select(c => c.Task).ToArray();
        ClientUpdate[] updates = Settings.SecureAggregation
            ? secureMean is null ? [] : [new ClientUpdate("secure-sum", secureMean, counted.Sum(t => t.Samples))]
            : fold is not null ? fold.Mean() is { } mean ? [mean] : []
            : [.. counted.Select(t => t.Update!).OrderBy(u => u.ClientId, StringComparer.Ordinal)];
        if (Privacy is not null) updates = Release(updates, counted.Length, tasks.Count);
        var updated = updates.Length > 0 && counted.Length >= Settings.MinUpdates && counted.Length >= Strategy.MinimumUpdates;
        if (updated)
        {
            var parameters = ModelParameters.Flatten(Model);
            Strategy.Aggregate(parameters, updates);
            ModelParameters.Assign(Model, parameters);
            _network = null;
        }
        var aggregated = closed.Where(c => c.Outcome.Status == ClientRoundStatus.Aggregated && c.Task.TrainLoss is not null).ToArray();
        double? trainLoss = aggregated.Length == 0 ? null
            : aggregated.Sum(c => c.Task.TrainLoss!.Value * c.Task.Samples) / aggregated.Sum(c => (double)c.Task.Samples);
        var test = Model.EvaluateWithLoss(_testInputs, _testLabels);
        _fitPhase = (test, trainLoss, updated, closed.Select(c => c.Outcome).ToArray());
        return test;
    }

    /// <summary>Closes the evaluate phase and the round, and records it with the count of messages the server rejected during it.</summary>
    public RoundRecord CloseRound(IReadOnlyList<TaskProgress> tasks, TimeSpan elapsed, int rejectedMessages = 0)
    {
        if (_fitPhase is not { } fit) throw new InvalidOperationException($"the fit phase of round {Round} is still open");
        var closed = Close(tasks);
        var counted = closed.Where(c => c.Outcome.Status == ClientRoundStatus.Aggregated).Select(c => c.Task.Evaluation!).ToArray();
        var samples = counted.Sum(e => (double)e.Samples);
        var record = new RoundRecord(
            Round, fit.Test.Accuracy, fit.Test.Loss, fit.TrainLoss,
            samples > 0 ? counted.Sum(e => (double)e.Correct) / samples : null,
            samples > 0 ? counted.Sum(e => e.Loss * e.Samples) / samples : null,
            fit.Updated, elapsed.TotalSeconds, fit.Fit, closed.Select(c => c.Outcome).ToArray(),
            Leakage is null ? null : Leakage.Clients.Select(Leakage.MaxWeightBits).DefaultIfEmpty(0).Max(),
            Leakage is null ? null : Leakage.Clients.Select(Leakage.MaxDataBits).DefaultIfEmpty(0).Max(),
            rejectedMessages) { Epsilon = Privacy?.Epsilon, Privacy = _roundPrivacy };
        _history.Add(record);
        _roundPrivacy = null;
        _fitPhase = null;
        return record;
    }

    /// <summary>Everything a resumed run needs to continue exactly where this one is.</summary>
    public TrainingCheckpoint Checkpoint()
    {
        if (_fitPhase is not null) throw new InvalidOperationException($"round {Round} is half done; checkpoint between rounds");
        return new TrainingCheckpoint(Settings.Seed, CompletedRounds, ModelParameters.Flatten(Model), Strategy.SaveState(),
            Leakage?.Clients.ToDictionary(c => c, c => Leakage.Of(c).ToArray()) ?? [], [.. _history]);
    }

    /// <summary>Continues from <paramref name="checkpoint"/>: the model, the strategy's memory, the accounts and the history.</summary>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        if (_history.Count > 0 || _fitPhase is not null) throw new InvalidOperationException("only a run that has not started can be restored");
        if (checkpoint.Seed != Settings.Seed)
            throw new ArgumentException($"the checkpoint is of a run with seed {checkpoint.Seed}; this run's seed is {Settings.Seed}");
        if (checkpoint.History.Count != checkpoint.CompletedRounds)
            throw new ArgumentException($"the checkpoint records {checkpoint.History.Count} rounds but says {checkpoint.CompletedRounds} completed");
        ModelParameters.Assign(Model, checkpoint.Parameters);
        Strategy.RestoreState(checkpoint.Strategy);
        foreach (var (client, spent) in checkpoint.Leakage)
            (Leakage ?? throw new ArgumentException("a checkpoint with leakage accounts cannot continue a plain run")).Restore(client, spent);
        _history.AddRange(checkpoint.History);
        Privacy?.Restore(checkpoint.History.Select(r => r.Privacy).OfType<RoundPrivacy>());
        _network = null;
    }

    /// <summary>The round's privatized mean in place of <paramref name="updates"/>, drawn with the round's noise, charged to the accountant.</summary>
    private ClientUpdate[] Release(ClientUpdate[] updates, int contributors, int tasks)
    {
        var (sampled, available) = _fitDraw ?? (tasks, tasks);
        var noise = GaussianNoise.For(Settings.Privacy!.NoiseSeed is { } seed ? RunSeeds.For(seed, RunSeeds.Purpose.AggregateNoise, Round) : null);
        var (mean, record) = Privacy!.Release(updates, contributors, Math.Max(1, sampled), available == 0 ? 1 : sampled / (double)available, noise);
        _roundPrivacy = record;
        return mean is null ? [] : [mean];
    }

    private TaskIssue Encode(string clientId, RoundTask task, ChannelSettings channel, IReadOnlyList<LayerLeakage> cost)
    {
        _network ??= new OpticalNetwork(Model);
        var forward = Enumerable.Range(0, Shape.Depth)
            .Select(l => _network.SharedLayer(l, transposed: false, channel.Photons).Issue(checked((int)task.ForwardCopies))).ToArray();
        var backward = Enumerable.Range(0, Shape.Depth)
            .Select(l => l == 0 || task.BackwardCopies == 0 ? null : _network.SharedLayer(l, transposed: true, channel.Photons).Issue(checked((int)task.BackwardCopies)))
            .ToArray();
        foreach (var layer in forward.Concat(backward.OfType<EncodedLayer>())) layer.Light.PassThroughChannel(channel.Transmission);
        var light = new OpticalTaskLight(new RoundFrames(forward.Select(l => l.Light).ToArray(), backward.Select(l => l?.Light).ToArray()));
        var all = forward.Concat(backward.OfType<EncodedLayer>()).ToArray();
        return new TaskIssue(clientId, task, light, all.Select(l => l.Reference).ToArray(), all.Select(l => (long)l.Light.CopiesRemaining).ToArray(), cost);
    }

    /// <summary>
    /// Rejects every update that would count but fails <see cref="UpdateCheck"/>; under secure aggregation,
    /// every masked one when their unmasked mean fails it.
    /// </summary>
    private void Check(IReadOnlyList<TaskProgress> tasks, float[]? secureMean)
    {
        var parameters = Model.ParameterCount;
        var meanProblem = Settings.SecureAggregation && secureMean is not null ? UpdateCheck.ProblemOfMean(secureMean, parameters, Settings.MaxUpdateNorm) : null;
        foreach (var task in tasks.Where(t => t.Kind == TaskKind.Fit && t.WouldCount))
        {
            var problem = task.Update is { } update ? UpdateCheck.Problem(update.Delta, update.Samples, parameters, Settings.MaxUpdateNorm)
                : task.MaskedUpdate is not null ? meanProblem : null;
            if (problem is not null) task.Rejected(problem);
        }
    }

    /// <summary>Settles every task of a phase, charges the data of the light that was measured, and records each outcome.</summary>
    private (TaskProgress Task, ClientRoundOutcome Outcome)[] Close(IReadOnlyList<TaskProgress> tasks)
    {
        var ordered = tasks.OrderBy(t => t.ClientId, StringComparer.Ordinal).ToArray();
        foreach (var task in ordered)
            if (task.LightMeasured && task.Issue?.Cost is { } cost) Leakage!.ChargeData(task.ClientId, cost);
        return ordered.Select(task =>
        {
            var (status, reason) = task.Close(Settings.RoundTimeout);
            var verdict = task.Verdict;
            var loss = task.Kind == TaskKind.Fit ? task.TrainLoss : task.Evaluation?.Loss;
            return (task, new ClientRoundOutcome(task.ClientId, status, task.Samples, loss, task.Evaluation?.Accuracy,
                verdict?.ExcessNoise, verdict?.ExcessNoiseScore, verdict?.Transmission,
                Leakage?.MaxWeightBits(task.ClientId), Leakage?.MaxDataBits(task.ClientId), reason));
        }).ToArray();
    }
}
