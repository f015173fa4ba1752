using System.CommandLine;
using QSI.Federation.Adversaries;

namespace QSI.Node.Commands;

/// <summary>
/// The dishonest clients of a run: <c>--adversary</c> names them (<c>NAME[:PARAM]</c>, several
/// comma-separated) and, in <c>qsi simulate</c>, <c>--adversaries</c> says how many clients play
/// each (docs/SECURITY.md).
/// </summary>
internal sealed class AdversaryFlags
{
    public Option<string[]> Adversary { get; } = new("--adversary")
    {
        Description = $"Dishonest clients, comma-separated: {QSI.Federation.Adversaries.Adversary.Forms} (docs/SECURITY.md).",
        HelpName = "NAME[:PARAM]",
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var specs = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            try
            {
                foreach (var spec in specs) QSI.Federation.Adversaries.Adversary.Validate(spec);
            }
            catch (ArgumentException e)
            {
                result.AddError($"--adversary: {e.Message}");
            }
            return specs;
        },
    };

    public Option<int[]> Count { get; } = CheckedOptions.IntegerList(
        "--adversaries", "K", "How many clients play each --adversary, comma-separated in the same order (default 1 each); they are the first clients, client-00 on.",
        minimum: 1, defaultValue: []);

    /// <summary>The conduct of each of <paramref name="clients"/>.</summary>
    /// <exception cref="UserError">The counts do not pair with the adversaries, or there are too many.</exception>
    public QSI.Federation.Rounds.ClientConduct[] Cast(ParseResult parse, IReadOnlyList<string> clients)
    {
        var specs = parse.GetValue(Adversary)!;
        var counts = parse.GetValue(Count)!;
        if (counts.Length == 0) counts = [.. specs.Select(_ => 1)];
        try
        {
            return QSI.Federation.Adversaries.Adversary.Cast(specs, counts, clients);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--adversary {string.Join(',', specs)} --adversaries {string.Join(',', counts)}: {e.Message}", e);
        }
    }
}
