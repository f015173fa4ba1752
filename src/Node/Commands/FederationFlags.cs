using System.CommandLine;
using QSI.Federation.Data;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

namespace QSI.Node.Commands;

/// <summary>
/// The server's flags of a federated training, shared by <c>qsi simulate</c> and
/// <c>qsi server --train</c> so that each means the same in both: rounds, sampling, deadlines,
/// the clients' local training, the strategy and its settings, the optical channel and the
/// weight budget. <see cref="Settings"/> turns them into <see cref="FederationSettings"/>.
/// </summary>
internal sealed class FederationFlags
{
    private static readonly FederationSettings Defaults = new();
    private static readonly StrategyOptions StrategyDefaults = new();

    public Option<int> Rounds { get; } = CheckedOptions.Integer("--rounds", "R", "Rounds of training.", minimum: 1, defaultValue: Defaults.Rounds);

    public Option<string> Strategy { get; } = new("--strategy")
    {
        Description = $"How updates are combined: {string.Join(", ", QSI.Federation.Strategies.Strategy.Names)}.",
        HelpName = "NAME",
        DefaultValueFactory = _ => Defaults.Strategy,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.ToLowerInvariant() : "";
            if (QSI.Federation.Strategies.Strategy.Names.Contains(text)) return text;
            result.AddError($"--strategy must be one of {string.Join(", ", QSI.Federation.Strategies.Strategy.Names)}; got '{text}'");
            return Defaults.Strategy;
        },
    };

    public Option<int[]> Hidden { get; } = CheckedOptions.IntegerList(
        "--hidden", "WIDTHS", "Hidden layer widths of the server's network, comma-separated: 784 gives the paper's 784-784-10.", minimum: 1, defaultValue: [784]);

    public Option<bool> Bias { get; } = new("--bias") { Description = "Give every layer a bias vector (the paper's network has none)." };

    public Option<int> Epochs { get; } = CheckedOptions.Integer("--epochs", "E", "Local epochs: passes over its data each client makes per round.", minimum: 1, defaultValue: Defaults.Plan.Epochs);

    public Option<int> Batch { get; } = CheckedOptions.Integer("--batch", "B", "Samples per local SGD step.", minimum: 1, defaultValue: Defaults.Plan.BatchSize);

    public Option<double> LearningRate { get; } = CheckedOptions.Real("--lr", "RATE", "The clients' SGD step size in round 1.", "a number above 0", v => v > 0, Defaults.Plan.LearningRate);

    public Option<double> LearningRateDecay { get; } = CheckedOptions.Real(
        "--lr-decay", "FACTOR", "Factor applied to the clients' step size after every round, in (0, 1]; 1 keeps it constant.",
        "a number in (0, 1]", v => v is > 0 and <= 1, Defaults.LearningRateDecay);

    public Option<double> FractionFit { get; } = CheckedOptions.Real(
        "--fraction-fit", "F", "Fraction of the clients sampled to train each round, in (0, 1].", "a number in (0, 1]", v => v is > 0 and <= 1, Defaults.FractionFit);

    public Option<int> MinFitClients { get; } = CheckedOptions.Integer("--min-fit-clients", "N", "Fewest clients sampled to train each round.", minimum: 1, defaultValue: Defaults.MinFitClients);

    public Option<double> FractionEvaluate { get; } = CheckedOptions.Real(
        "--fraction-evaluate", "F", "Fraction of the clients sampled to evaluate the new model on their held-out data each round, in [0, 1]; 0 turns federated evaluation off.",
        "a number in [0, 1]", v => v is >= 0 and <= 1, Defaults.FractionEvaluate);

    public Option<int> MinEvaluateClients { get; } = CheckedOptions.Integer("--min-evaluate-clients", "N", "Fewest clients sampled to evaluate.", minimum: 0, defaultValue: Defaults.MinEvaluateClients);

    public Option<int> MinUpdates { get; } = CheckedOptions.Integer(
        "--min-updates", "N", "Fewest verified updates a round needs to change the model; with fewer (clients dropped out, were flagged or missed the deadline) it keeps the old one.",
        minimum: 1, defaultValue: Defaults.MinUpdates);

    public Option<double> RoundTimeout { get; } = CheckedOptions.Real(
        "--round-timeout", "SECONDS", "Deadline of each phase of a round; clients still working then are dropped as stragglers and named.",
        "a number above 0", v => v > 0, Defaults.RoundTimeout.TotalSeconds);

    public Option<bool> Plain { get; } = new("--plain")
    {
        Description = "The baseline: the same federation with no optical channel; the model goes to the clients in the clear (ordinary federated learning).",
    };

    public Option<bool> SecureAggregation { get; } = new("--secure-aggregation")
    {
        Description = "Clients mask their updates with pairwise ECDH masks, so that the server learns only their sum (needs fedavg, fedsgd, fedprox, fedavgm, fedadam, fedyogi or fedadagrad).",
    };

    public Option<int?> SecAggThreshold { get; } = CheckedOptions.OptionalInteger(
        "--secagg-threshold", "T", "Under --secure-aggregation, how many of a round's n fit clients must finish for the sum to be unmasked (n - T may drop out); more than n/2, at most n (default floor(2n/3) + 1).",
        minimum: 1);

    public Option<double> Photons { get; } = CheckedOptions.Real(
        "--photons", "MU", "Mean photon number mu per mode of the weight frames.", "a number above 0", v => v > 0, Defaults.Channel!.Photons);

    public Option<double> Gain { get; } = CheckedOptions.Real(
        "--gain", "G", "Gain G of the clients' amplifiers, as announced to the verifier (above 1); G = 2 gives F = mu.", "a number above 1", v => v > 1, Defaults.Channel!.Gain);

    public Option<double> Transmission { get; } = ProtocolOptions.Transmission();

    public Option<double> FalseAlarm { get; } = CheckedOptions.Real(
        "--false-alarm", "RATE", "Probability that the verifier flags an honest client in one check (one check per client and phase), in (0, 1).",
        "a number in (0, 1)", v => v is > 0 and < 1, Defaults.FalseAlarmRate);

    public Option<string> WeightAccounting { get; } = Choice(
        "--weight-accounting", "RULE", "How the many uses of one frame are charged to a client's weight account: coherent (K copies of a coherent state reveal no more than one of K times the photons; tight) or linear (K times one use, PROTOCOL.md section 4; loose).",
        "coherent", "linear");

    public Option<double?> WeightBudget { get; } = CheckedOptions.OptionalReal(
        "--weight-budget", "BITS", "Most weight bits per weight any client may accumulate in any layer; the server issues no more frames to a client that would pass it.",
        "a number above 0", v => v > 0);

    public Option<double?> MaxUpdateNorm { get; } = CheckedOptions.OptionalReal(
        "--max-update-norm", "NORM", "Longest L2 norm of a client's update (its change to the parameters) the server accepts; a longer one is rejected and counted in rejectedUpdates. Under --secure-aggregation it bounds the norm of the unmasked mean. No limit by default.",
        "a finite number above 0", v => v > 0 && double.IsFinite(v));

    public Option<double?> ServerLearningRate { get; } = CheckedOptions.OptionalReal(
        "--server-lr", "ETA", "Server step size of fedavgm (default 1) and of fedadam, fedyogi, fedadagrad (default 0.01).", "a number above 0", v => v > 0);

    public Option<double> ServerMomentum { get; } = CheckedOptions.Real(
        "--server-momentum", "BETA", "Server momentum of fedavgm, in [0, 1).", "a number in [0, 1)", v => v is >= 0 and < 1, StrategyDefaults.ServerMomentum);

    public Option<double> ProximalMu { get; } = CheckedOptions.Real(
        "--proximal-mu", "MU", "FedProx's proximal coefficient (the clients' loss gains mu/2 |w - w_global|^2).", "a number of at least 0", v => v >= 0, StrategyDefaults.ProximalMu);

    public Option<double> Beta1 { get; } = CheckedOptions.Real("--beta1", "B1", "First-moment decay of fedadam and fedyogi, in [0, 1).", "a number in [0, 1)", v => v is >= 0 and < 1, StrategyDefaults.Beta1);

    public Option<double> Beta2 { get; } = CheckedOptions.Real("--beta2", "B2", "Second-moment decay of fedadam and fedyogi, in [0, 1).", "a number in [0, 1)", v => v is >= 0 and < 1, StrategyDefaults.Beta2);

    public Option<double> Tau { get; } = CheckedOptions.Real("--tau", "TAU", "Adaptivity of fedadam, fedyogi and fedadagrad (added to sqrt v).", "a number above 0", v => v > 0, StrategyDefaults.Tau);

    public Option<double> TrimFraction { get; } = CheckedOptions.Real(
        "--trim-fraction", "BETA", "Fraction fedtrimmedavg cuts from each end of every coordinate, in [0, 0.5).", "a number in [0, 0.5)", v => v is >= 0 and < 0.5, StrategyDefaults.TrimFraction);

    public Option<int> Byzantine { get; } = CheckedOptions.Integer("--byzantine", "F", "Byzantine clients krum, multikrum and bulyan tolerate (bulyan needs 4F + 3 clients a round).", minimum: 0, defaultValue: StrategyDefaults.ByzantineClients);

    public Option<int> KrumKeep { get; } = CheckedOptions.Integer("--krum-keep", "M", "Updates multikrum averages (0: all but --byzantine).", minimum: 0, defaultValue: StrategyDefaults.KrumKeep);

    private static readonly DifferentialPrivacySettings PrivacyDefaults = new();
    private static readonly AdaptiveClipSettings AdaptiveDefaults = new();

    public Option<double?> DpClip { get; } = CheckedOptions.OptionalReal(
        "--dp-clip", "C", "Differential privacy of the updates: clip every client's change to L2 norm C (with --dp-adaptive, C in round 1) and add Gaussian noise of std z C to their sum.",
        "a number above 0", v => v > 0);

    public Option<double?> DpNoise { get; } = CheckedOptions.OptionalReal(
        "--dp-noise", "Z", $"Noise multiplier z of differential privacy (default {PrivacyDefaults.NoiseMultiplier}); needs --dp-clip.", "a number above 0", v => v > 0);

    public Option<string> DpMode { get; } = Choice(
        "--dp-mode", "MODE", "Who clips and adds the noise: central (the server, to each update it receives) or distributed (each client, std z C / sqrt(m) for m sampled, before masking; for --secure-aggregation).",
        "central", "distributed");

    public Option<bool> DpAdaptive { get; } = new("--dp-adaptive")
    {
        Description = "Adapt the clipping norm toward a quantile of the update norms from a noised count of the clipped clients (Andrew et al. 2021; central mode).",
    };

    public Option<double> DpTargetQuantile { get; } = CheckedOptions.Real(
        "--dp-target-quantile", "GAMMA", "Fraction of the updates the adaptive norm should leave unclipped, in (0, 1).", "a number in (0, 1)", v => v is > 0 and < 1, AdaptiveDefaults.TargetQuantile);

    public Option<double> DpClipRate { get; } = CheckedOptions.Real(
        "--dp-clip-lr", "ETA", "Step of the adaptive norm's geometric update C <- C exp(-eta (unclipped fraction - gamma)).", "a number above 0", v => v > 0, AdaptiveDefaults.LearningRate);

    public Option<double?> DpCountNoise { get; } = CheckedOptions.OptionalReal(
        "--dp-count-noise", "SIGMA", "Std of the noise on the count of unclipped updates (default: clients sampled / 20); must exceed z / 2.", "a number above 0", v => v > 0);

    public Option<double> DpDelta { get; } = CheckedOptions.Real(
        "--dp-delta", "DELTA", "Delta of the (epsilon, delta) guarantee the accountant reports, in (0, 1); keep it well below 1 / clients.", "a number in (0, 1)", v => v is > 0 and < 1, PrivacyDefaults.Delta);

    public Option<double?> TargetEpsilon { get; } = CheckedOptions.OptionalReal(
        "--target-epsilon", "EPS", "Privacy budget: stop before the round that would take epsilon past it (needs --dp-clip).", "a number above 0", v => v > 0);

    /// <summary>The flags of differential privacy, in the order help lists them.</summary>
    public IEnumerable<Option> Privacy => [DpClip, DpNoise, DpMode, DpAdaptive, DpTargetQuantile, DpClipRate, DpCountNoise, DpDelta, TargetEpsilon];

    /// <summary>Every flag, in the order help lists them.</summary>
    public IEnumerable<Option> All => [.. Training, Photons, Gain, Transmission, FalseAlarm];

    /// <summary>
    /// Every flag but those of the optical channel and the verifier's test (<c>--photons</c>,
    /// <c>--gain</c>, <c>--transmission</c>, <c>--false-alarm</c>), for a command that has its own.
    /// </summary>
    public IEnumerable<Option> Training =>
    [
        Rounds, Strategy, Hidden, Bias, Epochs, Batch, LearningRate, LearningRateDecay, FractionFit, MinFitClients, FractionEvaluate,
        MinEvaluateClients, MinUpdates, RoundTimeout, Plain, SecureAggregation, SecAggThreshold, WeightAccounting, WeightBudget, MaxUpdateNorm,
        ServerLearningRate, ServerMomentum, ProximalMu, Beta1, Beta2, Tau, TrimFraction, Byzantine, KrumKeep, .. Privacy,
    ];

    /// <summary>The server's settings, with <paramref name="minAvailable"/> clients to wait for and the run's <paramref name="seed"/>.</summary>
    public FederationSettings Settings(ParseResult parse, int minAvailable, int seed) =>
        Settings(parse, minAvailable, seed, Channel(parse), parse.GetValue(FalseAlarm));

    /// <summary>The server's settings, with the channel and the verifier's false-alarm rate given by the command.</summary>
    /// <exception cref="UserError">The flags do not go together (a strategy that needs each update under secure aggregation, say).</exception>
    public FederationSettings Settings(ParseResult parse, int minAvailable, int seed, ChannelSettings channel, double falseAlarm)
    {
        try
        {
            return Resolve(parse, minAvailable, seed, channel, falseAlarm).Validated();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message, e);
        }
    }

    private FederationSettings Resolve(ParseResult parse, int minAvailable, int seed, ChannelSettings channel, double falseAlarm) => new()
    {
        Rounds = parse.GetValue(Rounds),
        Strategy = parse.GetValue(Strategy)!,
        StrategyOptions = new StrategyOptions
        {
            ServerLearningRate = parse.GetValue(ServerLearningRate),
            ServerMomentum = parse.GetValue(ServerMomentum),
            ProximalMu = parse.GetValue(ProximalMu),
            Beta1 = parse.GetValue(Beta1),
            Beta2 = parse.GetValue(Beta2),
            Tau = parse.GetValue(Tau),
            TrimFraction = parse.GetValue(TrimFraction),
            ByzantineClients = parse.GetValue(Byzantine),
            KrumKeep = parse.GetValue(KrumKeep),
        },
        FractionFit = parse.GetValue(FractionFit),
        MinFitClients = parse.GetValue(MinFitClients),
        FractionEvaluate = parse.GetValue(FractionEvaluate),
        MinEvaluateClients = parse.GetValue(MinEvaluateClients),
        MinAvailableClients = minAvailable,
        MinUpdates = parse.GetValue(MinUpdates),
        RoundTimeout = TimeSpan.FromSeconds(parse.GetValue(RoundTimeout)),
        Plan = new LocalTrainingPlan { Epochs = parse.GetValue(Epochs), BatchSize = parse.GetValue(Batch), LearningRate = parse.GetValue(LearningRate) },
        LearningRateDecay = parse.GetValue(LearningRateDecay),
        Channel = parse.GetValue(Plain) ? null : channel,
        FalseAlarmRate = falseAlarm,
        SecureAggregation = parse.GetValue(SecureAggregation),
        SecAggThreshold = parse.GetValue(SecAggThreshold),
        WeightAccounting = parse.GetValue(WeightAccounting) == "linear" ? Federation.Privacy.WeightAccounting.Linear : Federation.Privacy.WeightAccounting.Coherent,
        WeightBudget = parse.GetValue(WeightBudget),
        MaxUpdateNorm = parse.GetValue(MaxUpdateNorm),
        Privacy = PrivacyOf(parse),
        Seed = seed,
    };

    /// <summary>The differential privacy the flags ask for; null without <c>--dp-clip</c>.</summary>
    /// <exception cref="ArgumentException">A privacy flag without <c>--dp-clip</c>, or adaptive settings without <c>--dp-adaptive</c>.</exception>
    private DifferentialPrivacySettings? PrivacyOf(ParseResult parse)
    {
        // Values, not whether a flag was typed: a resumed run's run.conf gives every flag its resolved value.
        (Option Flag, bool Set)[] adaptive =
        [
            (DpTargetQuantile, parse.GetValue(DpTargetQuantile) != AdaptiveDefaults.TargetQuantile),
            (DpClipRate, parse.GetValue(DpClipRate) != AdaptiveDefaults.LearningRate),
            (DpCountNoise, parse.GetValue(DpCountNoise) is not null),
        ];
        if (!parse.GetValue(DpAdaptive) && adaptive.FirstOrDefault(a => a.Set).Flag is { } stray)
            throw new ArgumentException($"{stray.Name} sets the adaptive clipping norm; add --dp-adaptive");
        if (parse.GetValue(DpClip) is not { } clip)
        {
            (Option Flag, bool Set)[] privacy =
            [
                (DpNoise, parse.GetValue(DpNoise) is not null), (DpMode, parse.GetValue(DpMode) != "central"), (DpAdaptive, parse.GetValue(DpAdaptive)),
                .. adaptive, (DpDelta, parse.GetValue(DpDelta) != PrivacyDefaults.Delta), (TargetEpsilon, parse.GetValue(TargetEpsilon) is not null),
            ];
            if (privacy.FirstOrDefault(p => p.Set).Flag is { } flag)
                throw new ArgumentException($"{flag.Name} is a setting of differential privacy; turn it on with --dp-clip C");
            return null;
        }
        return new DifferentialPrivacySettings
        {
            Mode = parse.GetValue(DpMode) == "distributed" ? PrivacyMode.Distributed : PrivacyMode.Central,
            NoiseMultiplier = parse.GetValue(DpNoise) ?? PrivacyDefaults.NoiseMultiplier,
            Clip = clip,
            Adaptive = parse.GetValue(DpAdaptive)
                ? new AdaptiveClipSettings { TargetQuantile = parse.GetValue(DpTargetQuantile), LearningRate = parse.GetValue(DpClipRate), CountNoise = parse.GetValue(DpCountNoise) }
                : null,
            Delta = parse.GetValue(DpDelta),
            TargetEpsilon = parse.GetValue(TargetEpsilon),
        };
    }

    /// <summary>A flag that takes one of two words, <paramref name="first"/> by default.</summary>
    private static Option<string> Choice(string name, string helpName, string description, string first, string second) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => first,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.ToLowerInvariant() : "";
            if (text == first || text == second) return text;
            result.AddError($"{name} must be {first} or {second}; got '{text}'");
            return first;
        },
    };

    /// <summary>The optical settings, whether or not the run is plain (its final secure test uses them).</summary>
    public ChannelSettings Channel(ParseResult parse) => new(parse.GetValue(Photons), parse.GetValue(Gain), parse.GetValue(Transmission));

    /// <summary>Layer sizes of the server's network for <paramref name="inputs"/> inputs (pixels or features) and <paramref name="classes"/> classes.</summary>
    public int[] Sizes(ParseResult parse, int inputs, int classes) => [inputs, .. parse.GetValue(Hidden)!, classes];
}
