using QSI.Federation.Data;
using QSI.Federation.Rounds;

namespace QSI.Federation.Partitioning;

/// <summary>One simulated client's private data: the samples it trains on and those it holds out to evaluate.</summary>
/// <param name="ClientId">The client's name.</param>
/// <param name="Train">Its training samples.</param>
/// <param name="HeldOut">Its held-out samples, for federated evaluation.</param>
public sealed record ClientData(string ClientId, LabeledImages Train, LabeledImages HeldOut)
{
    /// <summary>
    /// The name of client <paramref name="index"/> of <paramref name="clients"/>, zero-padded so
    /// names sort in index order: client-00 ... client-09. Every process names clients alike.
    /// </summary>
    public static string IdOf(int index, int clients) => $"client-{index.ToString($"D{Math.Max(2, (clients - 1).ToString().Length)}")}";

    /// <summary>
    /// Splits <paramref name="images"/> among <paramref name="clients"/> clients by
    /// <paramref name="scheme"/>, and each client's part into training samples and a held-out
    /// <paramref name="holdout"/> fraction of them, all drawn from <paramref name="seed"/>: the
    /// same arguments give every process the same split.
    /// </summary>
    public static ClientData[] Split(LabeledImages images, int clients, PartitionScheme scheme, double holdout, int seed)
    {
        if (holdout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(holdout), holdout, "the held-out fraction must be in [0, 1)");
        var parts = scheme.Split(images.Labels.Span, clients, RunSeeds.For(seed, RunSeeds.Purpose.Partition));
        return parts.Select((part, index) => Of(images, part, index, clients, holdout, seed)).ToArray();
    }

    /// <summary>Client <paramref name="index"/>'s data only, as one client process computes it.</summary>
    public static ClientData One(LabeledImages images, int index, int clients, PartitionScheme scheme, double holdout, int seed)
    {
        if (index < 0 || index >= clients) throw new ArgumentOutOfRangeException(nameof(index), index, $"a client index is 0 to {clients - 1}");
        var parts = scheme.Split(images.Labels.Span, clients, RunSeeds.For(seed, RunSeeds.Purpose.Partition));
        return Of(images, parts[index], index, clients, holdout, seed);
    }

    private static ClientData Of(LabeledImages images, int[] part, int index, int clients, double holdout, int seed)
    {
        var order = (int[])part.Clone();
        new Random(RunSeeds.For(seed, RunSeeds.Purpose.Holdout, index)).Shuffle(order);
        // At least one training sample stays; a held-out set may be empty.
        var heldOut = Math.Min(order.Length - 1, (int)Math.Round(holdout * order.Length));
        var train = order[heldOut..];
        var held = order[..heldOut];
        Array.Sort(train);
        Array.Sort(held);
        return new ClientData(IdOf(index, clients), images.Subset(train), images.Subset(held));
    }
}
