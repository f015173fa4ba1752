using System.Globalization;
using QSI.Federation.Rounds;
using QSI.Protocol.Attacks;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The dishonest clients a federation can be run against, by the names <c>--adversary</c>
/// takes (docs/SECURITY.md): the optical attacks of PROTOCOL.md section 5, the estimator of the
/// weights, the forging client, the client that reports NaN, and the poisoning clients, which
/// are honest on the optical side and corrupt their update or their training data.
/// </summary>
public static class Adversary
{
    /// <summary>Every adversary's name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Attack.Names, "extract", "forge", "nan", "signflip", "scale", "noise", "labelflip"];

    /// <summary>Every adversary's form, NAME[:PARAM], for help text.</summary>
    public static string Forms { get; } = $"{Attack.Forms}, extract[:RETENTION], forge, nan, signflip, scale[:K] (default {ScalingClient.DefaultFactor}), noise[:SIGMA] (default {NoisyUpdateClient.DefaultSigma}), labelflip";

    /// <summary>
    /// The conduct of a client as <paramref name="spec"/> (<c>NAME[:PARAM]</c>)
    /// describes it; a forging client speaks for <paramref name="victim"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spec names no adversary, or its parameter is out of range.</exception>
    public static ClientConduct Parse(string spec, string victim)
    {
        var (name, parameter) = Split(spec);
        if (Attack.Names.Contains(name)) return new OpticalAttacker(Attack.Parse(spec));
        switch (name)
        {
            case "extract":
                var retention = parameter is null ? 0 : Number(spec, parameter, "a retention of earlier rounds in [0, 1]", v => v is >= 0 and <= 1);
                return new CuriousClient(retention);
            case "forge":
                NoParameter(spec, name, parameter);
                return new ForgingClient(victim);
            case "nan":
                NoParameter(spec, name, parameter);
                return new NanClient();
            case "signflip":
                NoParameter(spec, name, parameter);
                return new SignFlippingClient();
            case "scale":
                return new ScalingClient(parameter is null ? ScalingClient.DefaultFactor : Number(spec, parameter, "a finite scale factor", double.IsFinite));
            case "noise":
                return new NoisyUpdateClient(parameter is null ? NoisyUpdateClient.DefaultSigma
                    : Number(spec, parameter, "a standard deviation above 0", v => v > 0 && double.IsFinite(v)));
            case "labelflip":
                NoParameter(spec, name, parameter);
                return new LabelFlippingClient();
            default:
                throw new ArgumentException($"adversary '{spec}' is unknown; the adversaries are {string.Join(", ", Names)}");
        }
    }

    /// <summary>
    /// The conduct of each of <paramref name="clients"/>: the first <paramref name="counts"/>[0] play
    /// <paramref name="specs"/>[0], the next <paramref name="counts"/>[1] play <paramref name="specs"/>[1],
    /// and so on; the rest are honest. A forging client speaks for the first honest one.
    /// </summary>
    /// <exception cref="ArgumentException">The lists do not pair up, or there are more adversaries than clients.</exception>
    public static ClientConduct[] Cast(IReadOnlyList<string> specs, IReadOnlyList<int> counts, IReadOnlyList<string> clients)
    {
        if (counts.Count != specs.Count)
            throw new ArgumentException($"{counts.Count} counts for {specs.Count} adversaries; give one count per --adversary");
        var dishonest = counts.Sum();
        if (dishonest > clients.Count) throw new ArgumentException($"{dishonest} adversaries are more than the {clients.Count} clients");
        var victim = clients.Count > dishonest ? clients[dishonest] : clients[0];
        var conducts = new ClientConduct[clients.Count];
        var k = 0;
        for (var a = 0; a < specs.Count; a++)
            for (var n = 0; n < counts[a]; n++) conducts[k++] = Parse(specs[a], victim);
        for (; k < clients.Count; k++) conducts[k] = ClientConduct.Honest;
        return conducts;
    }

    /// <summary>The checked name of <paramref name="spec"/>, for validating flags before a run.</summary>
    public static string Validate(string spec)
    {
        _ = Parse(spec, "client-0");
        return spec;
    }

    private static (string Name, string? Parameter) Split(string spec)
    {
        var colon = spec.IndexOf(':');
        return colon < 0 ? (spec.Trim().ToLowerInvariant(), null) : (spec[..colon].Trim().ToLowerInvariant(), spec[(colon + 1)..].Trim());
    }

    private static void NoParameter(string spec, string name, string? parameter)
    {
        if (parameter is not null) throw new ArgumentException($"adversary '{spec}': {name} takes no parameter");
    }

    private static double Number(string spec, string text, string what, Func<double, bool> valid) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && valid(value)
            ? value
            : throw new ArgumentException($"adversary '{spec}': the parameter must be {what}; got '{text}'");
}
