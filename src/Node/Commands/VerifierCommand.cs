using System.CommandLine;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Roles;
using QSI.Federation.Serving;
using QSI.Node.Cluster;
using QSI.Node.Reports;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi verifier</c>: a cluster node of role "verifier" that checks the light every client
/// returns against the server's references (PROTOCOL.md section 4), until Ctrl-C or SIGTERM; when
/// the server leaves (its process died) it joins the seed nodes again, for the server's restart.
/// </summary>
internal sealed class VerifierCommand : Command
{
    private readonly Terminal _terminal;
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<double> _falseAlarm = ProtocolOptions.FalseAlarm();
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly ChannelFlags _channel = new();
    private readonly Option<double?> _photons = CheckedOptions.OptionalReal("--photons", "MU",
        "Mean photon number per mode of the server's frames; needed with --phase-noise, whose noise grows with it.", "a number above 0", mu => mu > 0);
    private readonly Option<string?> _calibration = new("--calibration")
    {
        Description = "Expect the channel written by 'qsi calibrate --out FILE' (transmission, excess and electronic noise) instead of --transmission and the channel-noise flags.",
        HelpName = "FILE",
    };
    private readonly NodeOptions _node = new(defaultPort: 0, defaultSeedPort: ServerCommand.DefaultPort);

    public VerifierCommand(Terminal terminal)
        : base("verifier", "Check the light the clients return against the server's references, until Ctrl-C or SIGTERM.")
    {
        _terminal = terminal;
        _gain.Description = "Gain G the verifier expects of the clients' amplifiers (above 1); sets the honest excess noise (2G-2)/G.";
        _transmission.Description = "Transmission T of the channel from server to client, as calibrated, in (0, 1].";
        _seed.Description = "Seed of the verifier's measurement noise; in a federated training, give it the run's seed to check as 'qsi simulate' does.";
        foreach (var option in new Option[] { _gain, _transmission, _falseAlarm, _seed, _photons, _calibration }.Concat(_channel.VerifierSide).Concat(_node.All))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    /// <summary>The verifier's ledger for clients of gain <paramref name="gain"/> behind a channel of <paramref name="transmission"/>.</summary>
    public static VerifierLedger Ledger(double gain, double transmission, double falseAlarm, int seed) =>
        new(new VerifierOptions { Gain = gain, Transmission = transmission, FalseAlarmRate = falseAlarm }.Validated(), NoiseSource.Seeded(seed));

    // The verifier's own side of the testbed (return path, detector) is simulated on arrival; what it expects comes
    // from its calibration when given, else from the same flags.
    private VerifierLedger Ledger(ParseResult parse, int seed)
    {
        var receiving = _channel.ReadVerifierSide(parse);
        var options = new VerifierOptions { Gain = parse.GetValue(_gain), FalseAlarmRate = parse.GetValue(_falseAlarm) };
        if (parse.GetValue(_calibration) is { } file)
            options = CalibrationReport.Read(file).Expecting(options);
        else
        {
            if (receiving.PhaseNoise > 0 && parse.GetValue(_photons) is null)
                throw new UserError("--phase-noise: the verifier needs --photons MU to expect the phase noise's excess (or give --calibration FILE)");
            options = receiving.Expecting(options, parse.GetValue(_transmission), parse.GetValue(_photons) ?? 1);
        }
        return new VerifierLedger(options.Validated(), NoiseSource.Seeded(seed), receiving);
    }

    private int Run(ParseResult parse)
    {
        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, "verifier");
        var seed = parse.GetValue(_seed);
        var ledger = Ledger(parse, seed);
        // Each pass is one incarnation of the node; the next joins the seed nodes again after the server left.
        while (true)
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var host = RoleNode.Start(node, hocon, builder => builder.WithActors((system, _) =>
            {
                system.ActorOf(VerifierActor.Props(ledger, seed), VerifierActor.Name);
                system.ActorOf(ServerWatch.Props(lost), ServerWatch.Name);
            }));
            try
            {
                RoleNode.AnnounceWhenUp(host, _terminal, Name);
                var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                var system = ClusterNode.System(host);
                ServerWatch.WaitAny([lost.Task, system.WhenTerminated], stopping);
                // A node that leaves sees every member removed: the user's stop comes first.
                if (!ServerWatch.Downed(system) && (stopping.IsCancellationRequested || !lost.Task.IsCompleted)) return ExitCodes.Success;
                _terminal.Error.WriteLine($"qsi verifier: the server left; joining again through seed node(s) {string.Join(", ", node.SeedNodes)}");
            }
            finally
            {
                RoleNode.Stop(host);
            }
        }
    }
}
