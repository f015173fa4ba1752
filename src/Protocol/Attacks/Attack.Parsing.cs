using System.Globalization;

namespace QSI.Protocol.Attacks;

public abstract partial record Attack
{
    // The one registry of attacks: name, the form shown to users, and how to build one.
    private static readonly (string Name, string Form, Func<double, Attack>? WithParameter, Func<Attack>? Plain)[] Registry =
    [
        ("tap", "tap:r (0 < r < 1)", r => new Tap(r), null),
        ("tap-reamplify", "tap-reamplify:r (0 < r < 1)", r => new TapReamplify(r), null),
        ("overgain", "overgain:G' (G' > 1)", g => new OverGain(g), null),
        ("intercept-resend", "intercept-resend", null, () => new InterceptResend()),
        ("withhold", "withhold", null, () => new Withhold()),
        ("partial", "partial:f (0 < f < 1)", f => new PartialReturn(f), null),
    ];

    /// <summary>The names of every attack, in the order of PROTOCOL.md section 5.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Select(r => r.Name).ToArray();

    /// <summary>The attacks' forms with their parameters' ranges, for help text.</summary>
    public static string Forms { get; } = string.Join(", ", Registry.Select(r => r.Form));

    /// <summary>
    /// Reads NAME[:PARAM] (<see cref="Names"/>); an <see cref="ArgumentException"/> with a
    /// one-line message names the spec and what is allowed.
    /// </summary>
    public static Attack Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':');
        var name = (colon < 0 ? spec : spec[..colon]).Trim();
        var text = colon < 0 ? null : spec[(colon + 1)..].Trim();
        var entry = Registry.FirstOrDefault(r => r.Name == name);
        if (entry.Name is null) throw Invalid(spec, $"no attack is called \"{name}\"");
        if (entry.Plain is { } plain)
            return text is null ? plain() : throw Invalid(spec, $"{name} takes no parameter");
        if (text is null) throw Invalid(spec, $"{name} needs a parameter: {entry.Form}");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Invalid(spec, $"\"{text}\" is not a number");
        try
        {
            return entry.WithParameter!(value);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Invalid(spec, $"{e.ActualValue} is out of range: {entry.Form}");
        }
    }

    private static ArgumentException Invalid(string spec, string problem) =>
        new($"attack \"{spec}\": {problem}; attacks are {Forms}", nameof(spec));
}
