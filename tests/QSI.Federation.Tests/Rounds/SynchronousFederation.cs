using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Partitioning;
using QSI.Federation.Rounds;
using QSI.Federation.Serving;
using QSI.Protocol.Attacks;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Tests.Rounds;

/// <summary>
/// The rounds of a federation driven by hand, one client after another, as the actors drive
/// them: the server's <see cref="FederatedTraining"/>, the clients' <see cref="FederatedClient"/>s
/// and the verifier's <see cref="VerifierLedger"/>, with nothing else in between.
/// </summary>
internal sealed class SynchronousFederation
{
    private readonly VerifierLedger _ledger;
    private long _request;

    public SynchronousFederation(FederatedTraining training, IReadOnlyList<FederatedClient> clients)
    {
        Training = training;
        Clients = clients;
        var settings = training.Settings;
        _ledger = new VerifierLedger(new VerifierOptions
        {
            Gain = settings.Channel?.Gain ?? 2, Transmission = settings.Channel?.Transmission ?? 1, FalseAlarmRate = settings.FalseAlarmRate,
        }, NoiseSource.Seeded(settings.Seed));
    }

    public FederatedTraining Training { get; }

    public IReadOnlyList<FederatedClient> Clients { get; }

    /// <summary>The 8x8 four-class images of the tests: a fixed pattern per class plus pixel noise.</summary>
    public static LabeledImages Images(int count, int seed) => Inference.SmallClassifier.Images(count, seed);

    /// <summary>
    /// A federation of <paramref name="clients"/> clients sharing 600 images by <paramref name="scheme"/>; client k uses gain
    /// <paramref name="gains"/>[k] (default 2), is made by <paramref name="join"/> (default: an honest <see cref="FederatedClient"/>)
    /// and, when given, does <paramref name="attacks"/>[k].
    /// </summary>
    public static SynchronousFederation Create(FederationSettings settings, int clients, PartitionScheme? scheme = null, double[]? gains = null,
        double? dataBudget = null, int hidden = 16, Func<ClientData, ModelShape, ClientOptions, FederatedClient>? join = null,
        Attack?[]? attacks = null)
    {
        var test = Images(400, seed: 99);
        var model = Mlp.Create([64, hidden, 4], bias: false, new Random(RunSeeds.For(settings.Seed, RunSeeds.Purpose.Model)));
        var training = new FederatedTraining(settings, model, test.NormalizedInputs(), test.Labels.ToArray());
        var parts = ClientData.Split(Images(600, seed: 5), clients, scheme ?? new PartitionScheme(PartitionKind.Iid), 0.1, settings.Seed);
        join ??= (p, shape, options) => new FederatedClient(p.ClientId, shape, p.Train, p.HeldOut, options);
        var members = parts.Select((p, k) => join(p, training.Shape, new ClientOptions
        {
            Gain = gains?[k] ?? 2, Seed = settings.Seed, DataBudget = dataBudget, Conduct = attacks?[k] is { } attack ? new QSI.Federation.Adversaries.OpticalAttacker(attack) : ClientConduct.Honest,
        })).ToArray();
        return new SynchronousFederation(training, members);
    }

    public List<RoundRecord> Run(int rounds)
    {
        var records = new List<RoundRecord>();
        for (var r = 0; r < rounds && !Training.IsFinished; r++) records.Add(RunRound());
        return records;
    }

    public RoundRecord RunRound()
    {
        Training.CloseFit(Phase(TaskKind.Fit));
        return Training.CloseRound(Phase(TaskKind.Evaluate), TimeSpan.Zero);
    }

    private TaskProgress[] Phase(TaskKind kind)
    {
        var byId = Clients.ToDictionary(c => c.Profile.ClientId);
        var sampled = Training.Sample(kind, Clients.Where(c => c.Profile.SamplesFor(kind) > 0).Select(c => c.Profile.ClientId));
        return sampled.Select(id =>
        {
            var client = byId[id];
            var progress = Training.Begin(client.Profile, kind);
            if (progress.Issue is not { } issue) return progress;
            var result = client.Run(issue.Task, issue.Light);
            if (result.Declined is { } reason)
            {
                progress.Declined(reason);
                return progress;
            }
            if (issue.References.Count > 0)
            {
                var request = ++_request;
                _ledger.Expect(request, id, 1, issue.References, issue.Uses);
                try
                {
                    progress.Verified(_ledger.Check(request, id, 0, result.Residuals));
                }
                catch (ProtocolViolation e)
                {
                    progress.Unverifiable(e.Message, e.LightMeasured);
                }
            }
            if (result.Update is { } update) progress.Trained(update, result.TrainLoss!.Value);
            if (result.Evaluation is { } evaluation) progress.Evaluated(evaluation);
            return progress;
        }).ToArray();
    }
}
