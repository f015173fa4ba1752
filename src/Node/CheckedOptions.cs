using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace QSI.Node;

/// <summary>
/// Options whose values are checked while the command line is parsed, so that a value out of
/// range is a parse error like a misspelt flag: one line naming the flag, the rule and the value.
/// </summary>
internal static class CheckedOptions
{
    /// <summary>A real number that must satisfy <paramref name="accepts"/>, described by <paramref name="requirement"/> ("above 1").</summary>
    public static Option<double> Real(
        string name, string helpName, string description, string requirement, Func<double, bool> accepts, double? defaultValue = null) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = defaultValue is null,
            DefaultValueFactory = defaultValue is { } value ? _ => value : null,
            CustomParser = result => ParseSingle(result, name, requirement, text => ParseReal(text, accepts)) ?? 0,
        };

    /// <summary>An optional real number that must satisfy <paramref name="accepts"/>; null when the flag is absent.</summary>
    public static Option<double?> OptionalReal(string name, string helpName, string description, string requirement, Func<double, bool> accepts) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseSingle(result, name, requirement, text => ParseReal(text, accepts)),
        };

    /// <summary>A whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int> Integer(string name, string helpName, string description, int minimum, int? defaultValue = null) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = defaultValue is null,
            DefaultValueFactory = defaultValue is { } value ? _ => value : null,
            CustomParser = result => ParseSingle(result, name, AtLeast(minimum), text => ParseInteger(text, minimum)) ?? 0,
        };

    /// <summary>An optional whole number of at least <paramref name="minimum"/>; null when the flag is absent.</summary>
    public static Option<int?> OptionalInteger(string name, string helpName, string description, int minimum) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseSingle(result, name, AtLeast(minimum), text => ParseInteger(text, minimum)),
        };

    /// <summary>A comma-separated list of real numbers, each satisfying <paramref name="accepts"/>.</summary>
    public static Option<double[]> RealList(string name, string helpName, string description, string requirement, Func<double, bool> accepts) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = true,
            CustomParser = result => ParseList(result, name, requirement, text => ParseReal(text, accepts)),
        };

    /// <summary>
    /// One real number, or a comma-separated list of them, each satisfying <paramref name="accepts"/>;
    /// a single value keeps the message of <see cref="Real"/>.
    /// </summary>
    public static Option<double[]> RealOrList(string name, string helpName, string description, string requirement, Func<double, bool> accepts) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = true,
            CustomParser = result => result.Tokens.Count == 1 && result.Tokens[0].Value.Contains(',')
                ? ParseList(result, name, requirement, text => ParseReal(text, accepts))
                : ParseSingle(result, name, requirement, text => ParseReal(text, accepts)) is { } value ? [value] : [],
        };

    /// <summary>A comma-separated list of whole numbers of at least <paramref name="minimum"/>.</summary>
    public static Option<int[]> IntegerList(string name, string helpName, string description, int minimum, int[]? defaultValue = null) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = defaultValue is null,
            DefaultValueFactory = defaultValue is { } value ? _ => value : null,
            CustomParser = result => ParseList(result, name, AtLeast(minimum), text => ParseInteger(text, minimum)),
        };

    private static string AtLeast(int minimum) => $"a whole number of at least {minimum}";

    private static T? ParseSingle<T>(ArgumentResult result, string name, string requirement, Func<string, T?> parse)
        where T : struct
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var value = parse(text);
        if (value is null)
        {
            result.AddError($"{name} must be {requirement}; got '{text}'");
        }

        return value;
    }

    private static T[] ParseList<T>(ArgumentResult result, string name, string requirement, Func<string, T?> parse)
        where T : struct
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var values = new List<T>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (parse(item) is not { } value)
            {
                result.AddError($"{name} must be a comma-separated list, each value {requirement}; got '{item}' in '{text}'");
                return [];
            }

            values.Add(value);
        }

        return [.. values];
    }

    private static double? ParseReal(string text, Func<double, bool> accepts) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && accepts(value)
            ? value
            : null;

    private static int? ParseInteger(string text, int minimum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : null;
}
