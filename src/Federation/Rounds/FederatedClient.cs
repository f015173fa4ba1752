using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Strategies;
using QSI.Federation.Training;
using QSI.Protocol.Client;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Rounds;

/// <summary>How a client takes part: its device and its own data budget.</summary>
public sealed record ClientOptions
{
    /// <summary>Gain G of the client's amplifier; the verifier expects the gain the federation announced.</summary>
    public double Gain { get; init; } = 2;

    /// <summary>Most data bits per element the client lets any of its vectors reach; null for no limit.</summary>
    public double? DataBudget { get; init; }

    /// <summary>Seed of the client's streams (shuffling, device noise); a run's clients share the run's seed.</summary>
    public int Seed { get; init; }

    /// <summary>How the client's optics are simulated.</summary>
    public SimulationPath Path { get; init; } = SimulationPath.SufficientStatistics;

    /// <summary>
    /// The channel between the server and the client, as the testbed has it (docs/CONVENTIONS.md, "A real channel"):
    /// the client's homodyne, and the excess and phase noise its light picks up on the way, added as it arrives
    /// (its loss is already in the frames). Ideal by default.
    /// </summary>
    public ChannelImperfections Channel { get; init; } = ChannelImperfections.Ideal;

    /// <summary>How the client conducts itself: honestly, or as one of the adversaries (<see cref="Adversaries.Adversary"/>).</summary>
    public ClientConduct Conduct { get; init; } = ClientConduct.Honest;


    /// <summary>
    /// Seed of the client's share of the differential-privacy noise, for reproducible simulations; null
    /// draws it from the operating system's cryptographic generator, as a real client must: the server
    /// knows the run's seed and could otherwise subtract the noise.
    /// </summary>
    public int? PrivacySeed { get; init; }

    /// <summary>Data leakage the client already allowed in earlier rounds (a resumed run), per layer; null for none.</summary>
    public IReadOnlyList<Privacy.LayerLeakage>? Spent { get; init; }

    /// <summary>
    /// The trainers the client borrows one of for each task, shared by the clients of a process;
    /// null for a pool of the client's own (it then keeps one trainer between tasks).
    /// </summary>
    public LocalTrainerPool? Trainers { get; init; }
}

/// <summary>
/// A client's side of federated training (PROTOCOL.md section 6): its private samples, split
/// into training and held-out ones; it fits and evaluates through whatever light the server
/// sends, returns that light for checking, and keeps its own data-leakage account, declining
/// any task that would take it past its budget.
/// </summary>
public sealed class FederatedClient
{
    private readonly float[] _trainInputs;
    private readonly byte[] _trainLabels;
    private readonly float[] _heldOutInputs;
    private readonly byte[] _heldOutLabels;
    private readonly IClientDevice _device;
    private readonly LocalTrainerPool _trainers;
    private readonly IMeasurementObserver? _observer;

    /// <summary>
    /// A client <paramref name="clientId"/> of models of <paramref name="shape"/>, conducting itself
    /// as <see cref="ClientOptions.Conduct"/> says: its device, its observer of its own
    /// measurements, what it reports.
    /// </summary>
    public FederatedClient(string clientId, ModelShape shape, LabeledImages train, LabeledImages heldOut, ClientOptions options, int maxBatchSize = 64)
    {
        if (train.Count == 0) throw new ArgumentException($"client {clientId} has no training samples");
        if (train.PixelsPerImage != shape.Sizes[0] || (heldOut.Count > 0 && heldOut.PixelsPerImage != shape.Sizes[0]))
            throw new ArgumentException($"client {clientId}'s images have {train.PixelsPerImage} pixels; the model takes {shape.Sizes[0]} inputs");
        Profile = new ClientProfile(clientId, train.Count, heldOut.Count);
        Shape = shape;
        Options = options;
        _trainInputs = train.NormalizedInputs();
        _trainLabels = options.Conduct.TrainingLabels(train.Labels.ToArray(), shape.Sizes[^1]);
        _heldOutInputs = heldOut.NormalizedInputs();
        _heldOutLabels = heldOut.Labels.ToArray();
        _device = options.Conduct.Device(options.Gain, options.Path, options.Channel.Validated().ClientDetector);
        _trainers = options.Trainers is { } shared && shared.Fits(shape) && shared.MaxBatchSize == maxBatchSize ? shared : new LocalTrainerPool(shape, maxBatchSize);
        _observer = options.Conduct.Observer(shape, options.Gain);
        Leakage = new LeakageAccountant(shape.Depth);
        if (options.Spent is { } spent) Leakage.Restore(clientId, spent.Select(l => l with { WeightBitsPerWeight = 0 }).ToArray());
    }

    /// <summary>What the client announces when it joins.</summary>
    public ClientProfile Profile { get; }

    /// <summary>The shape of the server's model.</summary>
    public ModelShape Shape { get; }

    /// <summary>The client's settings.</summary>
    public ClientOptions Options { get; }

    /// <summary>The client's optical apparatus, as its conduct chose it: the honest device, or an attack's.</summary>
    public IClientDevice Device => _device;

    /// <summary>The data leakage the client has allowed so far, by its own count.</summary>
    public LeakageAccountant Leakage { get; }

    /// <summary>Does <paramref name="task"/> through <paramref name="light"/>, which it consumes.</summary>
    public ClientTaskResult Run(RoundTask task, TaskLight light, CancellationToken cancellationToken = default)
    {
        if (task.Samples != Profile.SamplesFor(task.Kind))
            throw new ArgumentException($"a task over {task.Samples} samples for client {Profile.ClientId}, which holds {Profile.SamplesFor(task.Kind)}");
        var stream = (long)task.Round * 2 + (long)task.Kind;
        var clientKey = RunSeeds.StableHash(Profile.ClientId);
        IWeightChannel channel;
        OpticalWeightChannel? optical = null;
        IReadOnlyList<LayerLeakage>? cost = null;
        switch (light)
        {
            case OpticalTaskLight frames:
                var first = frames.Frames.Forward[0];
                cost = LeakageCost.Of(Shape, new ChannelSettings(first.Photons, Options.Gain, first.Transmission), task.ForwardCopies, task.BackwardCopies, task.Passes);
                if (Leakage.WouldExceedData(Profile.ClientId, cost, Options.DataBudget))
                    return ClientTaskResult.Refusal(task,
                        $"the task would take its data past its budget of {Options.DataBudget:G4} bits per element ({Leakage.MaxDataBits(Profile.ClientId):G4} spent); it returns no more light");
                // The channel's noise on the light as it arrives, before the client's device meets it.
                foreach (var frame in frames.All) Options.Channel.Forward(frame);
                optical = new OpticalWeightChannel(Shape, frames.Frames, _device,
                    NoiseSource.ForStream(RunSeeds.For(Options.Seed, RunSeeds.Purpose.Device, clientKey), stream), _observer);
                channel = optical;
                break;
            case ClearTaskLight clear:
                var model = Shape.Zeros();
                ModelParameters.Assign(model, clear.Parameters);
                channel = new ClearWeightChannel(model);
                break;
            default:
                throw new ArgumentException($"a task's light of type {light.GetType().Name} is not understood");
        }

        ClientTaskResult result;
        using var lease = _trainers.Rent();
        var trainer = lease.Trainer;
        if (task.Kind == TaskKind.Fit)
        {
            var shuffle = new Random(RunSeeds.For(Options.Seed, RunSeeds.Purpose.Shuffle, clientKey, task.Round));
            var trained = trainer.Train(channel, _trainInputs, _trainLabels, task.Plan, shuffle, cancellationToken: cancellationToken);
            var delta = task.Privacy is { } privacy
                ? privacy.Validated().Privatize(trained.Delta, trained.Samples,
                    GaussianNoise.For(Options.PrivacySeed is { } seed ? RunSeeds.For(seed, RunSeeds.Purpose.UpdateNoise, clientKey, task.Round) : null))
                : trained.Delta;
            // What the client sends: its privatized update, unless its conduct corrupts it.
            var update = Options.Conduct.Update(new ClientUpdate(Profile.ClientId, delta, trained.Samples),
                RunSeeds.For(Options.Seed, RunSeeds.Purpose.Poisoning, clientKey, task.Round));
            result = new ClientTaskResult(task, update, trained.Loss, null,
                optical?.TakeResiduals() ?? [], null);
        }
        else
        {
            var evaluation = trainer.Evaluate(channel, _heldOutInputs, _heldOutLabels);
            result = new ClientTaskResult(task, null, null, evaluation, optical?.TakeResiduals() ?? [], null);
        }
        if (cost is not null) Leakage.ChargeData(Profile.ClientId, cost);
        return Options.Conduct.Report(result);
    }
}
