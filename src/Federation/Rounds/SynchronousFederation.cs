using QSI.Federation.Serving;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Rounds;

/// <summary>
/// A whole federation in one thread: the server's <see cref="FederatedTraining"/>, the clients'
/// <see cref="FederatedClient"/>s and a verifier's <see cref="VerifierLedger"/>, driven one client
/// after another as the actors drive them, with nothing in between. The way to try a strategy or
/// an adversarial client from code; the actors run the same pieces across processes.
/// </summary>
public sealed class SynchronousFederation
{
    private readonly VerifierLedger _ledger;
    private long _request;

    /// <summary>
    /// A federation of <paramref name="clients"/> training <paramref name="training"/>; its verifier
    /// expects the channel of the run's settings and draws its noise from the run's seed.
    /// </summary>
    public SynchronousFederation(FederatedTraining training, IReadOnlyList<FederatedClient> clients)
    {
        Training = training;
        Clients = clients;
        var settings = training.Settings;
        _ledger = settings.Verifier(NoiseSource.Seeded(settings.Seed))
            ?? new VerifierLedger(new VerifierOptions { FalseAlarmRate = settings.FalseAlarmRate }, NoiseSource.Seeded(settings.Seed));
    }

    /// <summary>The server's side of the run.</summary>
    public FederatedTraining Training { get; }

    /// <summary>The clients, each with its own data.</summary>
    public IReadOnlyList<FederatedClient> Clients { get; }

    /// <summary>Runs up to <paramref name="rounds"/> rounds (fewer if the training ends first) and returns their records.</summary>
    public List<RoundRecord> Run(int rounds)
    {
        var records = new List<RoundRecord>();
        for (var r = 0; r < rounds && !Training.IsFinished; r++) records.Add(RunRound());
        return records;
    }

    /// <summary>Runs one round, its fit phase then its evaluate phase.</summary>
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
