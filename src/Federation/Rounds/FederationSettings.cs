using QSI.Federation.Privacy;
using QSI.Federation.Serving;
using QSI.Federation.Strategies;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Rounds;

/// <summary>
/// How the server runs a federated training: rounds, client sampling, deadlines, the optical
/// channel (or none, for the plain baseline), budgets and the strategy. The defaults are the
/// ones <c>qsi simulate</c> shows: FedAvg over every client, mu = 4, G = 2.
/// </summary>
public sealed record FederationSettings
{
    /// <summary>Rounds to run.</summary>
    public int Rounds { get; init; } = 50;

    /// <summary>Fraction of the available clients sampled to fit each round.</summary>
    public double FractionFit { get; init; } = 1.0;

    /// <summary>Fewest clients sampled to fit (all available, if fewer).</summary>
    public int MinFitClients { get; init; } = 2;

    /// <summary>Fraction of the available clients sampled to evaluate each round (0: no federated evaluation).</summary>
    public double FractionEvaluate { get; init; } = 1.0;

    /// <summary>Fewest clients sampled to evaluate.</summary>
    public int MinEvaluateClients { get; init; } = 1;

    /// <summary>Clients that must have joined before the first round starts.</summary>
    public int MinAvailableClients { get; init; } = 2;

    /// <summary>Fewest verified updates a round needs to change the model; with fewer it keeps the old one.</summary>
    public int MinUpdates { get; init; } = 1;

    /// <summary>Longest a phase waits for its clients; those still working are dropped as stragglers.</summary>
    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Longest a phase after the first round's start waits to begin for want of clients or of a
    /// verifier; then the run stops, its last checkpoint kept.
    /// </summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The clients' local training, before the strategy adjusts it. Two local epochs of SGD at 0.1
    /// in batches of 32: with one, ten Dirichlet(0.5) clients reach only about 97.6 % in 50 rounds,
    /// plain or secure; with two, 97.9 % (docs/FEDERATED.md).
    /// </summary>
    public LocalTrainingPlan Plan { get; init; } = new() { Epochs = 2 };

    /// <summary>Factor applied to the clients' learning rate after every round (1: constant).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>The strategy's name (see <see cref="Strategy.Names"/>).</summary>
    public string Strategy { get; init; } = "fedavg";

    /// <summary>The strategy's settings.</summary>
    public StrategyOptions StrategyOptions { get; init; } = new();

    /// <summary>The optical channel of the frames; null for the plain baseline, which sends the model in the clear.</summary>
    public ChannelSettings? Channel { get; init; } = new(Photons: 4, Gain: 2);

    /// <summary>The verifier's false-alarm rate per check; one check covers one client's light of one phase.</summary>
    public double FalseAlarmRate { get; init; } = 1e-6;

    /// <summary>How many uses of one frame are charged to the weight account.</summary>
    public WeightAccounting WeightAccounting { get; init; } = WeightAccounting.Coherent;

    /// <summary>Most weight bits per weight a client may accumulate in any layer; null for no limit.</summary>
    public double? WeightBudget { get; init; }

    /// <summary>
    /// Whether updates go through secure aggregation: clients mask them so that the server learns
    /// only their sum (PROTOCOL.md section 6; docs/FEDERATED.md). Needs a strategy that uses only
    /// the mean of the updates.
    /// </summary>
    public bool SecureAggregation { get; init; }

    /// <summary>
    /// Longest L2 norm of an update's delta the server accepts (<see cref="UpdateCheck"/>); null for no limit.
    /// Under secure aggregation it bounds the norm of the unmasked mean instead.
    /// </summary>
    public double? MaxUpdateNorm { get; init; }

    /// <summary>
    /// The threshold t of secure aggregation: how many of a round's clients must finish for the
    /// sum to be unmasked (n - t may drop out); null for floor(2n/3) + 1 of the n clients that
    /// advertised keys (<see cref="QSI.Federation.Privacy.SecAgg.SecAggThreshold.Default"/>).
    /// </summary>
    public int? SecAggThreshold { get; init; }

    /// <summary>Differential privacy of the clients' updates (clipping, Gaussian noise, accounting); null for none.</summary>
    public DifferentialPrivacySettings? Privacy { get; init; }

    /// <summary>Seed of every random stream of the run.</summary>
    public int Seed { get; init; }

    /// <summary>True for the plain baseline: no frames, no verifier, no leakage accounting.</summary>
    public bool Plain => Channel is null;

    /// <summary>
    /// The run's verifier, drawing its detector noise from <paramref name="noise"/>: it expects the announced
    /// gain and the light of <see cref="Channel"/> behind its imperfections (their return loss, the noise they add,
    /// its own detector), at <see cref="FalseAlarmRate"/>; null for the plain baseline.
    /// </summary>
    public VerifierLedger? Verifier(NoiseSource noise)
    {
        if (Channel is not { } channel) return null;
        var expected = channel.Imperfections.Expecting(new VerifierOptions { Gain = channel.Gain, FalseAlarmRate = FalseAlarmRate }, channel.Transmission, channel.Photons);
        return new VerifierLedger(expected.Validated(), noise, channel.Imperfections);
    }

    /// <summary>The plan of round <paramref name="round"/>, after the strategy and the decay.</summary>
    public LocalTrainingPlan PlanFor(int round, IStrategy strategy) =>
        strategy.ConfigureClients(Plan with { LearningRate = Plan.LearningRate * Math.Pow(LearningRateDecay, round - 1) });

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public FederationSettings Validated() => Validated(Strategies.Strategy.Create(Strategy, StrategyOptions));

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first setting out of range for a run of
    /// <paramref name="strategy"/> (which stands in for <see cref="Strategy"/>, e.g. one of the user's own).
    /// </summary>
    public FederationSettings Validated(IStrategy strategy)
    {
        Require(Rounds >= 1, "rounds must be at least 1");
        Require(FractionFit is > 0 and <= 1, "the fit fraction must be in (0, 1]");
        Require(FractionEvaluate is >= 0 and <= 1, "the evaluate fraction must be in [0, 1]");
        Require(MinFitClients >= 1, "the minimum of fit clients must be at least 1");
        Require(MinEvaluateClients >= 0, "the minimum of evaluate clients must be zero or positive");
        Require(MinAvailableClients >= 1, "the minimum of available clients must be at least 1");
        Require(MinUpdates >= 1, "a round needs at least one update");
        Require(RoundTimeout > TimeSpan.Zero, "the round timeout must be positive");
        Require(WaitTimeout > TimeSpan.Zero, "the wait timeout must be positive");
        Require(LearningRateDecay is > 0 and <= 1, "the learning-rate decay must be in (0, 1]");
        Require(FalseAlarmRate is > 0 and < 1, "the false-alarm rate must be in (0, 1)");
        Require(WeightBudget is null or > 0, "the weight budget must be positive");
        Require(MaxUpdateNorm is null or (> 0 and < double.PositiveInfinity), "the update norm limit must be a positive finite number");
        Plan.Validated();
        Channel?.Validated();
        Require(!SecureAggregation || strategy.UsesOnlyTheMean,
            $"secure aggregation gives the server only the sum of the updates, and {strategy.Name} needs each one; use fedavg, fedsgd, fedprox, fedavgm, fedadam, fedyogi or fedadagrad");
        Require(MinAvailableClients >= strategy.MinimumUpdates,
            $"{strategy.Name} needs at least {strategy.MinimumUpdates} updates a round, and the federation waits for only {MinAvailableClients} clients");
        Require(SecAggThreshold is null || SecureAggregation, "a secure-aggregation threshold needs secure aggregation");
        if (SecAggThreshold is { } threshold)
        {
            // The clients sampled to fit once the minimum has joined: the threshold must protect them.
            var fit = ClientSampler.Count(MinAvailableClients, FractionFit, MinFitClients);
            if (global::QSI.Federation.Privacy.SecAgg.SecAggThreshold.Problem(threshold, fit) is { } problem)
                throw new ArgumentException($"the secure-aggregation threshold: {problem} ({fit} of {MinAvailableClients} clients fit each round)");
        }
        if (Privacy is { } privacy)
        {
            privacy.Validated();
            Require(strategy.UsesOnlyTheMean, $"differential privacy noises the sum of the updates, and {strategy.Name} needs each one; use fedavg, fedsgd, fedprox, fedavgm, fedadam, fedyogi or fedadagrad");
            Require(!SecureAggregation || privacy.Mode == PrivacyMode.Distributed,
                "central differential privacy clips each update, and secure aggregation shows the server only their sum; use distributed privacy with it");
            // The fewest clients a round can sample give the default count noise m / 20 its smallest value.
            if (privacy.Adaptive is { } adaptive)
                AdaptiveClip.UpdateNoiseMultiplier(privacy.NoiseMultiplier, adaptive.CountNoise ?? ClientSampler.Count(MinAvailableClients, FractionFit, MinFitClients) / 20.0);
        }
        return this;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
