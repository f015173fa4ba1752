using System.Collections.Concurrent;
using System.CommandLine;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Roles;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Serving;
using QSI.Protocol.Randomness;
using QSI.Node.Cluster;
using QSI.Node.Runs;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi server</c>: a cluster node of role "server". It serves a trained model's frames to the
/// clients (PROTOCOL.md section 3) until Ctrl-C or SIGTERM; or, with <c>--train</c>, runs a
/// federated training (section 6) with the clients that join, writing a run folder as
/// <c>qsi simulate</c> does, and exits when the last round is done. With <c>--with-verifier</c>
/// it also runs the verifier on the same node.
/// </summary>
internal sealed class ServerCommand : Command
{
    /// <summary>The port a server listens on unless told otherwise, and so the usual seed node.</summary>
    public const int DefaultPort = 4053;

    private const double TrainingPhotons = 4;
    private const double ServingFalseAlarm = 0.01;

    private readonly Terminal _terminal;
    private readonly Option<string?> _model = new("--model")
    {
        Description = "Model file written by 'qsi train' (QSIM format), to serve; required unless --train.",
        HelpName = "FILE",
    };
    private readonly Option<double?> _photons = CheckedOptions.OptionalReal(
        "--photons", "MU", $"Mean photon number mu per mode of the frames (above 0); required to serve, default {TrainingPhotons} with --train.", "a number above 0", v => v > 0);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<int> _maxQueries = CheckedOptions.Integer(
        "--max-queries", "N", "Largest batch of queries one request for frames may ask for (copies of each frame).", minimum: 1, defaultValue: 1000);
    private readonly Option<bool> _withVerifier = new("--with-verifier")
    {
        Description = "Run the verifier on this node too (roles server and verifier), instead of a separate 'qsi verifier'.",
    };
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<double?> _falseAlarm = CheckedOptions.OptionalReal(
        "--false-alarm", "RATE",
        $"Probability that the verifier flags an honest client in one check, in (0, 1): per query when serving (with --with-verifier, default {ServingFalseAlarm}); per client and phase with --train (default 1e-6).",
        "a number in (0, 1)", v => v is > 0 and < 1);
    private readonly Option<double> _flagFalseAlarm = CheckedOptions.Real(
        "--flag-false-alarm", "RATE",
        "When serving: probability that an honest client is flagged for one request's light (the verifier's pooled test of the request), in (0, 1); a flagged client gets no more frames.",
        "a number in (0, 1)", v => v is > 0 and < 1, 1e-6);
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<bool> _train = new("--train")
    {
        Description = "Run a federated training with the clients that join ('qsi client --train'), instead of serving a model; the flags below from --rounds on configure it.",
    };
    private readonly Option<int> _minClients = CheckedOptions.Integer("--min-clients", "N", "With --train: clients that must join before the first round (later rounds go on with whoever is there, down to --min-fit-clients).", minimum: 1, defaultValue: 2);
    private readonly Option<double> _waitTimeout = CheckedOptions.Real(
        "--wait-timeout", "SECONDS", "With --train: longest a phase after the first round's start waits for --min-fit-clients clients or for a verifier; then the run stops, its checkpoint kept.",
        "a number above 0", v => v > 0, new QSI.Federation.Rounds.FederationSettings().WaitTimeout.TotalSeconds);
    private readonly FederationFlags _federation = new();
    private readonly TrainingRunFlags _run = new("server");
    private readonly ChannelFlags _channel = new();
    private readonly NodeOptions _node = new(DefaultPort);

    public ServerCommand(Terminal terminal)
        : base("server", "Serve a trained model's frames to the clients of the cluster until Ctrl-C or SIGTERM, or with --train run a federated training with them.")
    {
        _terminal = terminal;
        _gain.Description = "Gain G of the clients' amplifiers (above 1), as announced: what the weight account assumes, what the verifier of --with-verifier expects, and with --train what the federation announces.";
        _seed.Description = "Seed of the verifier's measurement noise (with --with-verifier); with --train, the run's seed (initial model, sampling, checks).";
        foreach (var option in new Option[] { _model, _photons, _transmission, _maxQueries, _withVerifier, _gain, _falseAlarm, _flagFalseAlarm, _seed, _train, _minClients, _waitTimeout }
                     .Concat(_federation.Training).Concat(_channel.All).Concat(_run.All).Concat(_node.All))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    /// <summary>The flags that define a training run, as its run.conf records them.</summary>
    private IEnumerable<Option> RunFlags => new Option[] { _train, _photons, _transmission, _gain, _falseAlarm, _seed, _minClients, _withVerifier, _waitTimeout }
        .Concat(_federation.Training).Concat(_channel.All).Concat(_run.Defining);

    private int Run(ParseResult parse)
    {
        if (parse.GetValue(_train)) return Train(parse);
        // The weight account and its budget hold for serving as for training.
        var servingToo = new Option[] { _federation.WeightBudget, _federation.WeightAccounting };
        if (_federation.Training.Except(servingToo).Concat(_channel.All).Concat(_run.All).Append(_minClients).Append(_waitTimeout).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } trainingFlag)
        {
            throw new UserError($"{trainingFlag.Name} configures a federated training; add --train");
        }

        return Serve(parse);
    }

    private int Serve(ParseResult parse)
    {
        var withVerifier = parse.GetValue(_withVerifier);
        if (!withVerifier && new Option[] { _falseAlarm, _seed }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
        {
            throw new UserError($"{stray.Name} configures the verifier; add --with-verifier to run one on this node, or give it to 'qsi verifier'");
        }

        var modelPath = parse.GetValue(_model) ?? throw new UserError("--model is required to serve a model (or add --train to run a federated training)");
        var photons = parse.GetValue(_photons) ?? throw new UserError("--photons is required to serve a model");
        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, withVerifier ? ["server", "verifier"] : ["server"]);
        var model = ModelFile.Load(Path.GetFullPath(modelPath));
        var transmission = parse.GetValue(_transmission);
        var accounting = parse.GetValue(_federation.WeightAccounting) == "linear" ? WeightAccounting.Linear : WeightAccounting.Coherent;
        FrameIssuer issuer;
        try
        {
            issuer = new FrameIssuer(model, photons, parse.GetValue(_maxQueries), transmission, parse.GetValue(_gain), parse.GetValue(_federation.WeightBudget), accounting);
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message, e);
        }
        var seed = parse.GetValue(_seed);
        var ledger = withVerifier ? VerifierCommand.Ledger(parse.GetValue(_gain), transmission, parse.GetValue(_falseAlarm) ?? ServingFalseAlarm, seed) : null;

        return RoleNode.RunUntilStopped(_terminal, Name, node, hocon, builder => builder.WithActors((system, _) =>
        {
            var verifier = ledger is null ? null : system.ActorOf(VerifierActor.Props(ledger, seed), VerifierActor.Name);
            system.ActorOf(ServerActor.Props(issuer, verifier, flagFalseAlarm: parse.GetValue(_flagFalseAlarm)), ServerActor.Name);
        }));
    }

    private int Train(ParseResult parse)
    {
        if (parse.GetResult(_model) is { Implicit: false } || parse.GetResult(_maxQueries) is { Implicit: false } || parse.GetResult(_flagFalseAlarm) is { Implicit: false })
        {
            throw new UserError("--model, --max-queries and --flag-false-alarm are for serving a trained model; --train starts from a fresh one (its checks run at --false-alarm)");
        }

        var (resolved, folder, resuming) = _run.Resolve(parse, Options, ["--train", "--rounds", "--json", "--keep-checkpoints", .. DataFlags.Movable, "--wait-timeout", .. _node.All.Select(o => o.Name)]);
        parse = resolved;
        var withVerifier = parse.GetValue(_withVerifier);
        var seed = parse.GetValue(_seed);
        var channel = new ChannelSettings(parse.GetValue(_photons) ?? TrainingPhotons, parse.GetValue(_gain), parse.GetValue(_transmission)).Validated();
        var settings = _federation.Settings(parse, parse.GetValue(_minClients), seed, channel, parse.GetValue(_falseAlarm) ?? new QSI.Federation.Rounds.FederationSettings().FalseAlarmRate)
            with { WaitTimeout = TimeSpan.FromSeconds(parse.GetValue(_waitTimeout)) };
        settings = _channel.Apply(settings, parse);
        var data = _run.Limited(parse, _terminal);
        var test = data.Test;
        var training = TrainingSetup.Create(settings, _federation.Sizes(parse, test.PixelsPerImage, data.Classes), parse.GetValue(_federation.Bias), test);
        var checkpoint = resuming ? TrainingSetup.Resume(training, folder, _terminal.Error) : null;
        if (!resuming) folder.WriteConfig(FlagFile.Write(parse, RunFlags));

        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, withVerifier ? ["server", "verifier"] : ["server"]);
        var events = new BlockingCollection<object>();
        var ledger = withVerifier ? settings.Verifier(NoiseSource.Seeded(seed)) : null;
        var keepCheckpoints = parse.GetValue(_run.Keep);
        IActorRef? server = null;
        var host = RoleNode.Start(node, hocon, builder => builder.WithActors((system, _) =>
        {
            var observer = system.ActorOf(RunEvents.Props(events), "run-events");
            var verifier = ledger is null ? null : system.ActorOf(VerifierActor.Props(ledger, seed), VerifierActor.Name);
            server = system.ActorOf(TrainingServerActor.Props(training, observer, verifier, keep: kept => folder.WriteCheckpoint(kept, keepCheckpoints)), TrainingServerActor.Name);
        }));
        RunEnd end;
        var json = parse.GetValue(_run.Json);
        try
        {
            RoleNode.AnnounceWhenUp(host, _terminal, Name);
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var halting = server is null ? default : FederationRun.HaltOn(stopping, server);
            var display = new FederationDisplay(_terminal, settings, json, training.History);
            end = display.Run(() => FederationRun.Follow(events, training, folder, display, localClients: 0, _terminal, stopping));
            if (!end.Completed && server is not null) FederationRun.Halt(server);
            if (end.Completed)
            {
                // Let the clients hear that the training is over before this node leaves.
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            RoleNode.Stop(host);
        }

        if (end.Problem is { } problem)
        {
            return Failure.ReportFailure(_terminal, $"{problem}; stopped after round {training.CompletedRounds} of {settings.Rounds}, continue with 'qsi server --train --resume {folder.Directory}'");
        }

        if (!end.Completed)
        {
            return Failure.Stopped(_terminal, $"stopped after round {training.CompletedRounds} of {settings.Rounds}; continue with 'qsi server --train --resume {folder.Directory}'");
        }

        var summary = TrainingSetup.Finish(training, folder, test, settings.Channel ?? channel, null,
            "set by the clients", checkpoint?.CompletedRounds, File.ReadAllText(folder.ConfigPath), _terminal, json);
        TrainingSetup.Print(summary, training, _terminal, json);
        return ExitCodes.Success;
    }
}
