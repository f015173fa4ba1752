using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Partitioning;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

/// <summary>A secure federation of five clients sharing 1,000 bar images, on one thread.</summary>
static class Federations
{
    /// <summary>
    /// Trains a 64-16-4 network for <paramref name="rounds"/> rounds with <paramref name="strategy"/>,
    /// client-04 behaving as <paramref name="adversary"/> (honest if null); the final test accuracy.
    /// </summary>
    public static double Train(IStrategy strategy, ClientConduct? adversary, int rounds = 8, int seed = 1)
    {
        var random = new Random(seed);
        var (images, test) = (Bars.Create(1000, random), Bars.Create(400, random));
        var settings = new FederationSettings { Rounds = rounds, MinAvailableClients = 5, Strategy = strategy.Name, Seed = seed };
        var training = new FederatedTraining(settings, Mlp.Create([64, 16, 4], bias: false, random), test.NormalizedInputs(), test.Labels.ToArray(), strategy);
        var clients = ClientData.Split(images, 5, new PartitionScheme(PartitionKind.Iid), holdout: 0.1, seed).Select((part, k) =>
            new FederatedClient(part.ClientId, training.Shape, part.Train, part.HeldOut, new ClientOptions
            {
                Seed = seed, Conduct = k == 4 && adversary is not null ? adversary : ClientConduct.Honest,
            })).ToArray();
        return new SynchronousFederation(training, clients).Run(rounds)[^1].TestAccuracy;
    }
}
