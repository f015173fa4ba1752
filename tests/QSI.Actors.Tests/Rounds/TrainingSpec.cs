using Akka.Actor;
using QSI.Actors.Roles;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Federation.Serving;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Actors.Tests.Rounds;

/// <summary>
/// A federation in one system that serializes every message it delivers, so the training
/// conversation runs through the wire codecs as it would between nodes. The data: 8x8 images of
/// four classes, each a fixed random pattern plus pixel noise; the model 64-16-4.
/// </summary>
public abstract class TrainingSpec() : Akka.TestKit.Xunit2.TestKit(SerializingSystem.Config)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected static LabeledImages Images(int count, int seed) => PatternImages.Create(count, seed, noise: 110);

    protected static FederationSettings Settings(int rounds = 3) => new()
    {
        Rounds = rounds,
        MinAvailableClients = 3,
        Plan = new() { Epochs = 1, BatchSize = 16, LearningRate = 0.1 },
        RoundTimeout = TimeSpan.FromSeconds(30),
        Seed = 7,
    };

    protected static FederatedTraining Training(FederationSettings settings)
    {
        var test = Images(400, seed: 99);
        return new FederatedTraining(settings, Mlp.Create([64, 16, 4], bias: false, new Random(3)), test.NormalizedInputs(), test.Labels.ToArray());
    }

    protected IActorRef Verifier(FederationSettings settings, string? suffix = null) =>
        Sys.ActorOf(VerifierActor.Props(new VerifierLedger(new VerifierOptions
        {
            Gain = settings.Channel?.Gain ?? 2, FalseAlarmRate = settings.FalseAlarmRate,
        }, NoiseSource.Seeded(1)), seed: 5), suffix is null ? VerifierActor.Name : $"{VerifierActor.Name}-{suffix}");

    protected IActorRef Server(FederatedTraining training, IActorRef observer, IActorRef? verifier) =>
        Sys.ActorOf(TrainingServerActor.Props(training, observer, verifier), TrainingServerActor.Name);

    protected IActorRef Client(string id, IActorRef server, IActorRef owner, int seed, double gain = 2, double? dataBudget = null, int samples = 240, string? suffix = null, ClientConduct? conduct = null) =>
        Sys.ActorOf(TrainingClientActor.Props(id, Images(samples, seed), Images(60, seed + 1000),
            new ClientOptions { Gain = gain, Seed = 7, DataBudget = dataBudget, Conduct = conduct ?? ClientConduct.Honest }, owner, Compute, server), suffix is null ? $"client-{id}" : $"client-{id}-{suffix}");

    private static readonly SemaphoreSlim Compute = new(1);

    /// <summary>Round records, in order, until the training completes.</summary>
    protected List<RoundRecord> Rounds(Akka.TestKit.TestProbe observer)
    {
        var records = new List<RoundRecord>();
        while (true)
        {
            var message = observer.FishForMessage(m => m is TrainingServerActor.RoundCompleted or TrainingServerActor.TrainingCompleted, Patience);
            if (message is TrainingServerActor.RoundCompleted completed) records.Add(completed.Record);
            else return records;
        }
    }
}
