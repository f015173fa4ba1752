using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Partitioning;
using QSI.Federation.Rounds;
using QSI.Protocol.Attacks;

namespace QSI.Federation.Tests.Rounds;

/// <summary>The tests' federations: 8x8 four-class images shared among clients, a 64-H-4 model.</summary>
internal static class TestFederations
{
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
            Gain = gains?[k] ?? 2, Seed = settings.Seed, DataBudget = dataBudget, Channel = settings.Channel?.Imperfections ?? QSI.Protocol.Optics.ChannelImperfections.Ideal, Conduct = attacks?[k] is { } attack ? new QSI.Federation.Adversaries.OpticalAttacker(attack) : ClientConduct.Honest,
        })).ToArray();
        return new SynchronousFederation(training, members);
    }
}
