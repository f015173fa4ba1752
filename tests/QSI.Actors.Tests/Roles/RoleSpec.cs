using Akka.Actor;
using QSI.Actors.Roles;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Serving;
using QSI.Federation.Training;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Actors.Tests.Roles;

/// <summary>
/// Server, verifier and clients in one system that serializes every message it delivers, so the
/// conversations run through the wire codecs as they would between nodes. The model is a small
/// network trained on 8x8 images of four classes (a fixed pattern each, plus pixel noise).
/// </summary>
public abstract class RoleSpec() : Akka.TestKit.Xunit2.TestKit(SerializingSystem.Config)
{
    private static readonly Lazy<Mlp> Trained = new(() =>
    {
        var images = Images(1500, seed: 2);
        var model = Mlp.Create([64, 32, 4], bias: false, new Random(3));
        new MlpTrainer(model, new TrainingOptions { Epochs = 3, Seed = 3 }).Train(images.NormalizedInputs(), images.Labels.ToArray());
        return model;
    });

    protected static Mlp Model => Trained.Value;

    protected static LabeledImages Images(int count, int seed) => PatternImages.Create(count, seed, noise: 90);

    protected IActorRef Verifier(double falseAlarm = 0.05) =>
        Sys.ActorOf(VerifierActor.Props(new VerifierLedger(new VerifierOptions { Gain = 2, FalseAlarmRate = falseAlarm }, NoiseSource.Seeded(11))), VerifierActor.Name);

    protected IActorRef Server(IActorRef verifier, double photons) =>
        Sys.ActorOf(ServerActor.Props(new FrameIssuer(Model, photons, maxQueriesPerRequest: 100), verifier), ServerActor.Name);

    protected IActorRef Client(string id, LabeledImages images, IActorRef server, IActorRef reportTo) =>
        Sys.ActorOf(ClientActor.Props(new ClientSettings { ClientId = id, Seed = 5, QueriesPerRequest = 100 }, images, reportTo, server), $"client-{id}");
}
