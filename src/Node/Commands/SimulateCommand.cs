using System.Collections.Concurrent;
using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using QSI.Actors.Roles;
using QSI.Actors.Serialization;
using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Partitioning;
using QSI.Federation.Rounds;
using QSI.Federation.Serving;
using QSI.Federation.Training;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;
using QSI.Node.Runs;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi simulate</c>: a whole federation on one machine (PROTOCOL.md section 6): the server,
/// the verifier and N clients as actors of one ActorSystem, each client holding its part of the
/// MNIST training set, training the server's model through optical frames for a number of
/// rounds. Writes a run folder and, with <c>--resume</c>, continues a stopped one.
/// </summary>
internal sealed class SimulateCommand : Command
{
    private readonly Terminal _terminal;
    private readonly FederationFlags _federation = new();
    private readonly ChannelFlags _channel = new();
    private readonly ClientDataFlags _clientData = new();
    private readonly Option<int> _clients = CheckedOptions.Integer("--clients", "N", "Clients of the federation, each holding its part of the training set.", minimum: 1, defaultValue: 10);
    private readonly AdversaryFlags _adversaries = new();
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string?> _config = new("--config")
    {
        Description = "HOCON file whose 'qsi.simulate { ... }' section gives defaults for these flags (keys are the flag names without dashes); flags given here win.",
        HelpName = "FILE",
    };
    private readonly TrainingRunFlags _run = new("simulate");
    private readonly Option<string?> _maxMemory = new("--max-memory")
    {
        Description = "Memory the run may use (bytes, or e.g. 4G); default: what the machine has available. A run whose estimated peak exceeds it is refused before it starts.",
        HelpName = "SIZE",
    };

    public SimulateCommand(Terminal terminal)
        : base("simulate", "Run a whole federation on this machine: a server, a verifier and N clients training the server's model on MNIST (or a CSV table) through optical frames.")
    {
        _terminal = terminal;
        foreach (var option in new Option[] { _clients }.Concat(_federation.All).Concat(_channel.All).Concat(_clientData.All).Concat([_adversaries.Adversary, _adversaries.Count, _seed, _config, _maxMemory]).Concat(_run.All))
            Options.Add(option);
        SetAction(Run);
    }

    /// <summary>The flags that define a run, as run.conf records them.</summary>
    private IEnumerable<Option> RunFlags => new Option[] { _clients }.Concat(_federation.All).Concat(_channel.All).Concat(_clientData.All)
        .Concat([_adversaries.Adversary, _adversaries.Count, _seed]).Concat(_run.Defining);

    private int Run(ParseResult parse)
    {
        var (resolved, folder, resuming) = _run.Resolve(parse, Options, ["--rounds", "--json", "--keep-checkpoints", .. DataFlags.Movable, "--max-memory"]);
        parse = resolved;
        var clients = parse.GetValue(_clients);
        var seed = parse.GetValue(_seed);
        var settings = _channel.Apply(_federation.Settings(parse, minAvailable: clients, seed), parse);
        // A simulation is an experiment: its privacy noise is seeded from the run's seed, so that it reproduces.
        if (settings.Privacy is { } privacy) settings = settings with { Privacy = privacy with { NoiseSeed = seed } };
        var data = _run.Limited(parse, _terminal);
        var train = parse.GetValue(_clientData.Limit) is { } limit ? data.Train.Take(limit) : data.Train;
        var test = data.Test;
        ClientData[] parts;
        try
        {
            parts = ClientData.Split(train, clients, parse.GetValue(_clientData.Partition)!, parse.GetValue(_clientData.Holdout), seed);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--partition {parse.GetValue(_clientData.Partition)} of {train.Count} images among {clients} clients: {e.Message}", e);
        }

        var conducts = _adversaries.Cast(parse, [.. parts.Select(p => p.ClientId)]);
        var training = TrainingSetup.Create(settings, _federation.Sizes(parse, train.PixelsPerImage, data.Classes), parse.GetValue(_federation.Bias), test);
        var checkpoint = resuming ? TrainingSetup.Resume(training, folder, _terminal.Error) : null;
        var extractors = conducts.Count(c => c is CuriousClient);
        var estimate = EstimateMemory(parse, training, clients, train.Count, test.Count, train.PixelsPerImage, train.HoldsFeatures ? sizeof(float) : 1, parts.Max(p => p.Train.Count), extractors);
        if (!resuming) folder.WriteConfig(FlagFile.Write(parse, RunFlags));

        using var stop = new StopSignal();
        using var system = ActorSystem.Create("qsi-simulation", SystemConfig);
        // Akka starts its timer thread on first use and blocks the caller until it runs. Started
        // here, not by the first of thousands of clients setting their join timers at once: those
        // would all block on it, starving the thread pool it waits for, for up to minutes.
        system.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(1), ActorRefs.Nobody, "scheduler started", ActorRefs.NoSender);
        var keepCheckpoints = parse.GetValue(_run.Keep);
        var events = new BlockingCollection<object>();
        var observer = system.ActorOf(RunEvents.Props(events), "run-events");
        IActorRef? verifier = null;
        if (!settings.Plain)
        {
            var ledger = settings.Verifier(NoiseSource.Seeded(seed))!;
            verifier = system.ActorOf(VerifierActor.Props(ledger, seed), VerifierActor.Name);
        }
        var server = system.ActorOf(TrainingServerActor.Props(training, observer, verifier, inProcess: true, keep: kept => folder.WriteCheckpoint(kept, keepCheckpoints)), TrainingServerActor.Name);
        // As many clients compute at once as there are cores: a client's kernels use every core
        // only in its large products, and a round's last client would otherwise leave cores idle.
        var compute = new SemaphoreSlim(Environment.ProcessorCount);
        // ... and borrow their trainers from one pool, so idle clients hold only their data and accounts.
        var trainers = new LocalTrainerPool(training.Shape);
        var dataBudget = parse.GetValue(_clientData.DataBudget);
        for (var k = 0; k < parts.Length; k++)
        {
            var part = parts[k];
            var options = new ClientOptions
            {
                Gain = settings.Channel?.Gain ?? 2,
                Channel = settings.Channel?.Imperfections ?? ChannelImperfections.Ideal,
                Conduct = conducts[k],
                DataBudget = dataBudget,
                Seed = seed,
                PrivacySeed = seed,
                Spent = checkpoint?.Leakage.GetValueOrDefault(part.ClientId),
                Trainers = trainers,
            };
            system.ActorOf(TrainingClientActor.Props(part.ClientId, part.Train, part.HeldOut, options, observer, compute, server), part.ClientId);
        }

        var json = parse.GetValue(_run.Json);
        var display = new FederationDisplay(_terminal, settings, json, training.History);
        var extraction = ExtractionTracker.For([.. parts.Select(p => p.ClientId)], conducts, training);
        RunEnd end;
        using (FederationRun.HaltOn(stop.Token, server))
        {
            end = display.Run(() => FederationRun.Follow(events, training, folder, display, clients, _terminal, stop.Token, extraction));
        }
        if (!end.Completed) FederationRun.Halt(server);
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        if (!end.Completed)
        {
            return end.Problem is { } problem
                ? Failure.ReportFailure(_terminal, problem)
                : Failure.Stopped(_terminal, $"stopped after round {training.CompletedRounds} of {settings.Rounds}; continue with 'qsi simulate --resume {folder.Directory}'");
        }

        var partition = parse.GetValue(_clientData.Partition)!.ToString();
        var summary = TrainingSetup.Finish(training, folder, test, settings.Channel ?? _federation.Channel(parse), clients, partition, checkpoint?.CompletedRounds,
            File.ReadAllText(folder.ConfigPath), _terminal, json, extraction);
        TrainingSetup.Print(summary with { EstimatedMemoryBytes = estimate.Total }, training, _terminal, json);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The run's estimated peak memory against what it may use: refused with one line when it would
    /// not fit, else printed on stderr.
    /// </summary>
    private MemoryEstimate EstimateMemory(ParseResult parse, FederatedTraining training, int clients, int trainSamples, int testSamples, int pixels, int valueBytes, int largestClient,
        int extractors)
    {
        var settings = training.Settings;
        var fit = ClientSampler.Count(clients, settings.FractionFit, settings.MinFitClients);
        var evaluate = ClientSampler.Count(clients, settings.FractionEvaluate, settings.MinEvaluateClients);
        var estimate = MemoryEstimate.For(clients, trainSamples, testSamples, pixels, training.Model.ParameterCount, fit, Math.Max(fit, evaluate),
            computeSlots: Environment.ProcessorCount, training.FoldsUpdates,
            largestClient: settings.Plain ? 0 : largestClient, firstRows: training.Shape.Sizes[1], valueBytes: valueBytes)
            with { Extractors = settings.Plain ? 0 : Math.Min(extractors, (long)fit * settings.Rounds) * WeightExtractor.HeldBytes(training.Shape) };
        long available;
        string source;
        if (parse.GetValue(_maxMemory) is { } text)
        {
            try
            {
                available = MemoryEstimate.ParseSize(text);
            }
            catch (FormatException e)
            {
                throw new UserError($"--max-memory: {e.Message}", e);
            }
            source = "--max-memory";
        }
        else
        {
            available = MemoryEstimate.Available();
            source = "available on this machine";
        }
        if (estimate.Total > available)
        {
            var advice = training.FoldsUpdates
                ? "use fewer clients (--clients), smaller phases (--fraction-fit, --fraction-evaluate) or a subset of the data (--limit)"
                : $"use a strategy that folds updates as they come (fedavg, fedprox, ...), fewer fit clients (--fraction-fit) or fewer clients (--clients); {settings.Strategy} keeps every update";
            throw new UserError($"the run needs about {MemoryEstimate.Gib(estimate.Total)} at its peak ({estimate.Parts()}) and {MemoryEstimate.Gib(available)} is {source}; {advice}");
        }
        _terminal.Error.WriteLine($"qsi: estimated peak memory {MemoryEstimate.Gib(estimate.Total)} of {MemoryEstimate.Gib(available)} {source} ({estimate.Parts()})");
        return estimate;
    }

    private static Config SystemConfig => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = OFF
          loggers = ["QSI.Node.Cluster.StandardErrorLogger, qsi"]
          log-dead-letters = off
        }
        """).WithFallback(QsiSerialization.Config);
}
