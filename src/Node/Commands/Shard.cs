using System.CommandLine;
using System.Globalization;
using QSI.Federation.Data;

namespace QSI.Node.Commands;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of a data set, as <c>--shard K/N</c> names it:
/// images K, K+N, K+2N, ... (0-based), so N clients with K = 0 .. N-1 split the set without overlap
/// and each gets every class in about the same proportion.
/// </summary>
/// <param name="Index">K, from 0 to N-1.</param>
/// <param name="Count">N, at least 1.</param>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>The whole set.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary><c>--shard K/N</c>, checked while parsing.</summary>
    public static Option<Shard> Option() => new("--shard")
    {
        Description = "Use only images K, K+N, K+2N, ... of the test set (after --limit), so N clients with K = 0 .. N-1 split it; 0/1 is all of it.",
        HelpName = "K/N",
        DefaultValueFactory = _ => All,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (TryParse(text) is { } shard) return shard;
            result.AddError($"--shard must be K/N with whole numbers 0 <= K < N; got '{text}'");
            return All;
        },
    };

    /// <summary>Parses <c>K/N</c>; null unless 0 &lt;= K &lt; N.</summary>
    public static Shard? TryParse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count
                ? new Shard(index, count)
                : null;
    }

    /// <summary>Indices of this shard among <paramref name="total"/> images.</summary>
    public int[] Indices(int total) =>
        Enumerable.Range(0, Math.Max(0, (total - Index + Count - 1) / Count)).Select(i => Index + (i * Count)).ToArray();

    /// <summary>This shard's images of <paramref name="images"/>.</summary>
    /// <exception cref="UserError">The shard is empty.</exception>
    public LabeledImages Of(LabeledImages images)
    {
        if (Count == 1) return images;
        var indices = Indices(images.Count);
        if (indices.Length == 0)
        {
            throw new UserError($"--shard {this} of {images.Count} images is empty; use fewer shards or more images");
        }

        return images.Subset(indices);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
