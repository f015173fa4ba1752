using System.CommandLine;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Roles;
using QSI.Federation.Data;
using QSI.Federation.Partitioning;
using QSI.Federation.Rounds;
using QSI.Node.Cluster;
using QSI.Node.Output;
using QSI.Node.Reports;
using QSI.Protocol.Client;
using Spectre.Console;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi client</c>: a cluster node of role "client" that classifies its share of the test set
/// through the frames of the cluster's server, has every query checked by the verifier, reports
/// what <c>qsi infer</c> reports of a secure run, then leaves the cluster. With <c>--train</c> it
/// instead holds its part of the partitioned training set and takes part in the server's
/// federated training until the last round.
/// </summary>
internal sealed class ClientCommand : Command
{
    private readonly Terminal _terminal;
    private readonly DataFlags _data = new();
    private readonly Option<int?> _limit = CommonOptions.Limit();
    private readonly Option<Shard> _shard = Shard.Option();
    private readonly Option<string?> _id = new("--id")
    {
        Description = "The client's name in the federation, unique among the clients (default: client-PID).",
        HelpName = "NAME",
    };
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<int> _queriesPerRequest = CheckedOptions.Integer(
        "--queries-per-request", "N", "Images classified per request for frames; at most the server's --max-queries.", minimum: 1, defaultValue: 250);
    private readonly Option<int> _joinTimeout = CheckedOptions.Integer(
        "--join-timeout", "SECONDS", "Give up if no server is in the cluster this long after starting.", minimum: 1, defaultValue: 60);
    private readonly Option<int> _rejoinTimeout = CheckedOptions.Integer(
        "--rejoin-timeout", "SECONDS", "With --train: after the server left (its process died), keep joining the seed nodes again this long for its restart ('qsi server --train --resume'), then give up.",
        minimum: 1, defaultValue: 300);
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly ChannelFlags _channel = new();
    private readonly Option<bool> _train = new("--train")
    {
        Description = "Take part in the server's federated training ('qsi server --train') with part K of N of the training set (--shard K/N, --partition), instead of classifying.",
    };
    private readonly ClientDataFlags _clientData = new();
    private readonly AdversaryFlags _adversary = new();
    private readonly NodeOptions _node = new(defaultPort: 0, defaultSeedPort: ServerCommand.DefaultPort);

    public ClientCommand(Terminal terminal)
        : base("client", "Classify (a shard of) the MNIST test set through the cluster's server and verifier, report, and leave; with --train, train the server's model on part of the training set instead.")
    {
        _terminal = terminal;
        _seed.Description = "Seed of the client's amplifier noise (mixed with the client's name, so clients differ).";
        _limit.Description = "Use only the first K images of the test set (with --train, of the training set).";
        _shard.Description = "Use only images K, K+N, K+2N, ... of the test set (after --limit), so N clients with K = 0 .. N-1 split it; "
            + "with --train, part K of the training set split N ways by --partition. 0/1 is all of it.";
        _id.Description = "The client's name in the federation, unique among the clients (default: client-PID; with --train, client-K as 'qsi simulate' names it).";
        _seed.Description = "Seed of the client's amplifier noise (mixed with the client's name, so clients differ); with --train, the run's seed, which also splits the data.";
        _adversary.Adversary.Description = $"With --train: make this client dishonest, one of {QSI.Federation.Adversaries.Adversary.Forms} (docs/SECURITY.md).";
        foreach (var option in _data.All.Concat(new Option[] { _limit, _shard, _id, _gain, _seed, _queriesPerRequest, _joinTimeout, _rejoinTimeout, _json, _train })
                     .Concat(_clientData.Split).Append(_adversary.Adversary).Concat(_channel.ClientSide).Concat(_node.All))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        if (parse.GetValue(_train)) return Train(parse);
        if (_clientData.Split.Append(_adversary.Adversary).Append(_rejoinTimeout).Concat(_channel.ClientSide).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } trainingFlag)
        {
            throw new UserError($"{trainingFlag.Name} configures a client of a federated training; add --train");
        }

        var json = parse.GetValue(_json);
        var shard = parse.GetValue(_shard)!;
        var id = parse.GetValue(_id) ?? $"client-{Environment.ProcessId}";
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new UserError("--id must not be empty");
        }

        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, "client");
        var test = _data.Load(parse, _terminal).Test;
        var images = shard.Of(parse.GetValue(_limit) is { } limit ? test.Take(limit) : test);
        var settings = new ClientSettings
        {
            ClientId = id,
            Gain = parse.GetValue(_gain),
            Seed = parse.GetValue(_seed),
            QueriesPerRequest = parse.GetValue(_queriesPerRequest),
        };
        var joinTimeout = TimeSpan.FromSeconds(parse.GetValue(_joinTimeout));

        var host = RoleNode.Start(node, hocon, _ => { });
        try
        {
            var system = ClusterNode.System(host);
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            if (NoServer(system, id, node, joinTimeout, stopping, "qsi server") is { } problem)
            {
                return Failure.ReportFailure(_terminal, problem);
            }

            var report = Classify(system, settings, images, json, stopping);
            if (report is null)
            {
                return Failure.ReportFailure(_terminal, $"client {id} was stopped before it finished its {images.Count} images");
            }

            if (report.Failure is not null)
            {
                return Failure.ReportFailure(_terminal, $"client {id} gave up after {report.Images} of {images.Count} images: {report.Failure}");
            }

            Write(Report(report, settings, shard), json);
            return ExitCodes.Success;
        }
        finally
        {
            RoleNode.Stop(host);
        }
    }

    private int Train(ParseResult parse)
    {
        if (parse.GetResult(_queriesPerRequest) is { Implicit: false })
        {
            throw new UserError("--queries-per-request is for classifying; a training client measures what each task needs");
        }

        var json = parse.GetValue(_json);
        var shard = parse.GetValue(_shard)!;
        var seed = parse.GetValue(_seed);
        var scheme = parse.GetValue(_clientData.Partition)!;
        var data = _data.Load(parse, _terminal).Train;
        if (parse.GetValue(_limit) is { } limit) data = data.Take(limit);
        ClientData part;
        try
        {
            part = ClientData.One(data, shard.Index, shard.Count, scheme, parse.GetValue(_clientData.Holdout), seed);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--partition {scheme} of {data.Count} images among {shard.Count} clients: {e.Message}", e);
        }

        var id = parse.GetValue(_id) ?? part.ClientId;
        if (string.IsNullOrWhiteSpace(id)) throw new UserError("--id must not be empty");
        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, "client");
        var adversary = parse.GetValue(_adversary.Adversary)!;
        if (adversary.Length > 1) throw new UserError($"--adversary {string.Join(',', adversary)}: one client plays one adversary");
        // A forging client speaks for another shard's client, named as 'qsi simulate' names it.
        var victim = ClientData.IdOf(shard.Index == 0 ? 1 : 0, Math.Max(2, shard.Count));
        var conduct = adversary.Length == 0 ? ClientConduct.Honest : QSI.Federation.Adversaries.Adversary.Parse(adversary[0], victim);
        var options = new ClientOptions
        {
            Gain = parse.GetValue(_gain), DataBudget = parse.GetValue(_clientData.DataBudget), Seed = seed, Conduct = conduct, Channel = _channel.ReadClientSide(parse),
        };
        var joinTimeout = TimeSpan.FromSeconds(parse.GetValue(_joinTimeout));
        var rejoinTimeout = TimeSpan.FromSeconds(parse.GetValue(_rejoinTimeout));
        if (!json) _terminal.Error.WriteLine($"qsi client: {id} holds {part.Train.Count} training and {part.HeldOut.Count} held-out images (part {shard} of {scheme}); training with the server");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var session = new TrainingSession(id, part.Train, part.HeldOut, options);
        // Each pass is one incarnation of the client's node; the next one joins the seed nodes
        // again after the server left (docs/FEDERATED.md, "Faults").
        for (DateTime? lostAt = null; ;)
        {
            var outcome = session.RunOnce(node, hocon, lostAt is null ? joinTimeout : rejoinTimeout - (DateTime.UtcNow - lostAt.Value));
            switch (outcome)
            {
                case TrainingSession.Outcome.NoServer when lostAt is null:
                    return Failure.ReportFailure(_terminal, $"no server joined the cluster within {joinTimeout.TotalSeconds:0} s through seed node(s) {string.Join(", ", node.SeedNodes)}; "
                        + "is 'qsi server --train' running there? (--seed-node, --join-timeout)");
                case TrainingSession.Outcome.NoServer:
                    return Failure.ReportFailure(_terminal, $"client {id} gave up after {session.Tasks} tasks: the server left the federation and none came back within {rejoinTimeout.TotalSeconds:0} s (--rejoin-timeout)");
                case TrainingSession.Outcome.Stopped:
                    return Failure.Stopped(_terminal, $"client {id} was stopped before the training finished");
                case TrainingSession.Outcome.RefusedAtTheDoor:
                    return Failure.ReportFailure(_terminal, $"client {id}: {RoleNode.DoorRefusal(node)}");
                case TrainingSession.Outcome.ServerLost:
                    lostAt = DateTime.UtcNow;
                    _terminal.Error.WriteLine($"qsi client: {id}: the server left after {session.Tasks} tasks; joining again through seed node(s) {string.Join(", ", node.SeedNodes)} for up to {rejoinTimeout.TotalSeconds:0} s (--rejoin-timeout)");
                    continue;
            }

            break;
        }

        if (session.Failure is not null)
        {
            return Failure.ReportFailure(_terminal, $"client {id} gave up after {session.Tasks} tasks: {session.Failure}");
        }

        var report = new ClientTrainingReport(id, shard.ToString(), scheme.ToString(), part.Train.Count, part.HeldOut.Count, session.Tasks,
            session.DataBits, options.Gain, seed, clock.Elapsed.TotalSeconds);
        if (json)
        {
            JsonReport.Write(_terminal.Output, report);
        }
        else
        {
            _terminal.Output.WriteLine($"client {id}: {report.Tasks} tasks done in {report.Seconds:F1} s; data leakage {Display.Number(report.DataBits)} bits per element");
        }

        return ExitCodes.Success;
    }

    /// <summary>Why no server was found in time (null when one was): the user stopped the client, or none joined.</summary>
    private static string? NoServer(ActorSystem system, string id, Cluster.ClusterNodeOptions node, TimeSpan timeout, CancellationToken stopping, string server)
    {
        if (WaitForServer(system, timeout, stopping)) return null;
        return RoleNode.ShutByTheDoor(system) ? $"client {id}: {RoleNode.DoorRefusal(node)}"
            : stopping.IsCancellationRequested
            ? $"client {id} was stopped before it found a server"
            : $"no server joined the cluster within {timeout.TotalSeconds:0} s through seed node(s) {string.Join(", ", node.SeedNodes)}; "
                + $"is '{server}' running there? (--seed-node, --join-timeout)";
    }

    // The node must be a member before its client looks for the server, and a server must have
    // joined: a client started before its server waits, but not forever; nor once its cluster
    // lost the server (<paramref name="lost"/>) or the node is down.
    internal static bool WaitForServer(ActorSystem system, TimeSpan timeout, CancellationToken stopping, Task? lost = null)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var deadline = DateTime.UtcNow + timeout;
        while (!stopping.IsCancellationRequested && !system.WhenTerminated.IsCompleted && lost?.IsCompleted != true && DateTime.UtcNow < deadline)
        {
            if (cluster.SelfMember.Status == MemberStatus.Up
                && cluster.State.Members.Any(m => m.Status == MemberStatus.Up && m.HasRole("server")))
            {
                return true;
            }

            stopping.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
        }

        return false;
    }

    /// <summary>Runs the client actor to its report, with a progress bar; null if the node was stopped first.</summary>
    private ClientReport? Classify(ActorSystem system, ClientSettings settings, LabeledImages images, bool json, CancellationToken stopping) =>
        ProgressDisplay.Run(_terminal, silent: json, display =>
        {
            var bar = display.Add($"client {settings.ClientId}", images.Count);
            var done = new TaskCompletionSource<ClientReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sink = system.ActorOf(ClientReportSink.Props(progress => bar.Update(progress.Done, $"client {settings.ClientId}"), done), "client-report");
            system.ActorOf(ClientActor.Props(settings, images, sink), ClientActor.Name);
            try
            {
                done.Task.Wait(stopping);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var report = done.Task.Result;
            bar.Complete(report.Failure is null
                ? $"client {settings.ClientId}: {report.Images} images, accuracy {Display.Percent(report.Accuracy)}"
                : $"client {settings.ClientId}: stopped after {report.Images} images");
            return report;
        });

    private static ClientRunReport Report(ClientReport report, ClientSettings settings, Shard shard) =>
        new(
            report.ClientId,
            shard.ToString(),
            DigitalAccuracy: null,
            report.Accuracy,
            VerifierSummary.From(report, settings.Gain),
            ModelLeakage.ForModes(report.Modes, report.Photons, settings.Gain, report.ChannelTransmission),
            report.ImagesPerSecond,
            report.Images,
            report.Correct,
            report.Rejected,
            report.Photons,
            settings.Gain,
            new DeviceNoise(settings.Gain).SignalFactor(report.Photons),
            report.ChannelTransmission,
            settings.Seed,
            report.Elapsed.TotalSeconds);

    private void Write(ClientRunReport r, bool json)
    {
        if (json)
        {
            JsonReport.Write(_terminal.Output, r);
            return;
        }

        var v = r.Verifier;
        var table = new Table()
            .Title($"client {r.ClientId}, shard {r.Shard}: {r.Images:N0} images, mu = {Display.Number(r.Photons)}, G = {Display.Number(r.Gain)}, F = {Display.Number(r.SignalFactor)}, T = {Display.Number(r.Transmission)}")
            .AddColumn("")
            .AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("");
        table.AddRow("secure accuracy", Display.Percent(r.SecureAccuracy), $"{r.ImagesPerSecond:N0} images/s");
        table.AddRow("verifier accept rate", Display.Percent(v.AcceptRate), $"{v.Accepted:N0} of {v.Checks:N0} checks; {r.Rejected:N0} refused");
        table.AddRow("excess noise (pooled)", Display.Number(v.ExcessNoise), $"SNU per use; honest device {Display.Number(v.ExpectedExcessNoise)}");
        table.AddRow("transmission (pooled)", Display.Number(v.Transmission), v.PooledAccepted ? "pooled check accepts" : "pooled check flags the client");
        table.AddRow("weight leakage", Display.Number(r.Leakage.WeightBitsPerWeight), $"bits/weight/use, first layer (n' = {r.Leakage.Modes})");
        table.AddRow("data leakage", Display.Number(r.Leakage.DataBits), "bits/element/use");
        _terminal.Results.Write(table);
    }
}
