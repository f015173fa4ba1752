using System.CommandLine;
using QSI.Federation.Partitioning;

namespace QSI.Node.Commands;

/// <summary>
/// How simulated clients' data is cut from the MNIST training set, shared by <c>qsi simulate</c>
/// and <c>qsi client --train</c>: every process given the same flags and seed cuts the same parts.
/// </summary>
internal sealed class ClientDataFlags
{
    public Option<PartitionScheme> Partition { get; } = new("--partition")
    {
        Description = "How the training set is split among the clients: iid, dirichlet:ALPHA (labels skewed by Dirichlet(ALPHA); smaller is more skewed) or shards:K (K label-sorted shards each).",
        HelpName = "SCHEME",
        DefaultValueFactory = _ => new PartitionScheme(PartitionKind.Dirichlet, 0.5),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            try
            {
                return PartitionScheme.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError($"--partition: {e.Message}");
                return new PartitionScheme(PartitionKind.Iid);
            }
        },
    };

    public Option<double> Holdout { get; } = CheckedOptions.Real(
        "--holdout", "FRACTION", "Fraction of each client's samples held out for federated evaluation, in [0, 1).", "a number in [0, 1)", v => v is >= 0 and < 1, 0.1);

    public Option<double?> DataBudget { get; } = CheckedOptions.OptionalReal(
        "--data-budget", "BITS", "Most data bits per element a client lets any of its vectors reach; a client that would pass it returns no more light and sits out.",
        "a number above 0", v => v > 0);

    public Option<int?> Limit { get; } = CheckedOptions.OptionalInteger(
        "--limit", "K", "Use only the first K samples of the training set (default: all of it, MNIST's 60,000 images), for quick runs.", minimum: 1);

    /// <summary>Every flag.</summary>
    public IEnumerable<Option> All => [.. Split, Limit];

    /// <summary>Every flag but <c>--limit</c>, for a command that has its own.</summary>
    public IEnumerable<Option> Split => [Partition, Holdout, DataBudget];
}
