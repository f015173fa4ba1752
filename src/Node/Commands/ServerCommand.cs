using System.CommandLine;
using Akka.Hosting;
using QSI.Actors.Roles;
using QSI.Federation.Models;
using QSI.Federation.Serving;
using QSI.Node.Cluster;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi server</c>: a cluster node of role "server" that serves a trained model's frames to the
/// clients (PROTOCOL.md section 3) until Ctrl-C or SIGTERM; with <c>--with-verifier</c> it also
/// runs the verifier on the same node.
/// </summary>
internal sealed class ServerCommand : Command
{
    /// <summary>The port a server listens on unless told otherwise, and so the usual seed node.</summary>
    public const int DefaultPort = 4053;

    private readonly Terminal _terminal;
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<double> _photons = ProtocolOptions.Photons();
    private readonly Option<double> _transmission = ProtocolOptions.Transmission();
    private readonly Option<int> _maxQueries = CheckedOptions.Integer(
        "--max-queries", "N", "Largest batch of queries one request for frames may ask for (copies of each frame).", minimum: 1, defaultValue: 1000);
    private readonly Option<bool> _withVerifier = new("--with-verifier")
    {
        Description = "Run the verifier on this node too (roles server and verifier), instead of a separate 'qsi verifier'.",
    };
    private readonly Option<double> _gain = ProtocolOptions.Gain(defaultValue: 2);
    private readonly Option<double> _falseAlarm = ProtocolOptions.FalseAlarm();
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly NodeOptions _node = new(DefaultPort);

    public ServerCommand(Terminal terminal)
        : base("server", "Serve a trained model's frames to the clients of the cluster, until Ctrl-C or SIGTERM.")
    {
        _terminal = terminal;
        _gain.Description = "With --with-verifier: the gain G the verifier expects of the clients' amplifiers (above 1).";
        _falseAlarm.Description = "With --with-verifier: the probability that the verifier flags an honest client in one check, in (0, 1).";
        _seed.Description = "With --with-verifier: seed of the verifier's measurement noise.";
        foreach (var option in new Option[] { _model, _photons, _transmission, _maxQueries, _withVerifier, _gain, _falseAlarm, _seed }.Concat(_node.All))
        {
            Options.Add(option);
        }

        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var withVerifier = parse.GetValue(_withVerifier);
        if (!withVerifier && new Option[] { _gain, _falseAlarm, _seed }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
        {
            throw new UserError($"{stray.Name} configures the verifier; add --with-verifier to run one on this node, or give it to 'qsi verifier'");
        }

        var (node, hocon) = _node.Resolve(parse, Environment.GetEnvironmentVariable, withVerifier ? ["server", "verifier"] : ["server"]);
        var modelPath = Path.GetFullPath(parse.GetValue(_model)!);
        var model = ModelFile.Load(modelPath);
        var transmission = parse.GetValue(_transmission);
        var issuer = new FrameIssuer(model, parse.GetValue(_photons), parse.GetValue(_maxQueries), transmission);
        var ledger = withVerifier ? VerifierCommand.Ledger(parse.GetValue(_gain), transmission, parse.GetValue(_falseAlarm), parse.GetValue(_seed)) : null;

        return RoleNode.RunUntilStopped(_terminal, Name, node, hocon, builder => builder.WithActors((system, _) =>
        {
            var verifier = ledger is null ? null : system.ActorOf(VerifierActor.Props(ledger), VerifierActor.Name);
            system.ActorOf(ServerActor.Props(issuer, verifier), ServerActor.Name);
        }));
    }
}
