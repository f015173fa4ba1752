using System.Globalization;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>What one run measures, from the command line; the receiver gets the settings it needs from its parent.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Frames timed on each path; 200 keep the raw TCP phase (the shorter) at a quarter of a second, long enough to time.</summary>
    public int Frames { get; init; } = 200;

    /// <summary>
    /// Frames moved on each path before timing starts; null (the default) warms up until the
    /// JIT has settled in both processes (<see cref="WarmUp"/>).
    /// </summary>
    public int? WarmupFrames { get; init; }

    /// <summary>Pulls the receiver's downloads keep outstanding.</summary>
    public int Window { get; init; } = BlobDownloadOptions.Default.Window;

    /// <summary>Chunk size of the server's store.</summary>
    public int ChunkSize { get; init; } = BlobStoreOptions.Default.ChunkSize;

    /// <summary>Extra HOCON for both actor systems, in front of the benchmark's own (for trying transport settings).</summary>
    public string Hocon { get; init; } = "";

    /// <summary>The certificate file of the TLS path; the parent makes it and hands it to the receiver.</summary>
    public string TlsCertificate { get; init; } = "";

    /// <summary>Receiver counts of the one-server-many-clients run; empty for the paths side by side.</summary>
    public IReadOnlyList<int> FanOut { get; init; } = [];

    /// <summary>Print one JSON object instead of a table.</summary>
    public bool Json { get; init; }

    /// <summary>How long any one step (start-up, a frame, a check) may take.</summary>
    public static TimeSpan StepTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest warm-up waiting for the JIT to settle; the report says if it had not.</summary>
    public static TimeSpan MaxWarmup { get; } = TimeSpan.FromSeconds(90);

    public const string Usage =
        "usage: QSI.TransportBenchmark [--frames N (200)] [--warmup N (until the JIT settles)] [--window PULLS] [--chunk-size BYTES] [--hocon TEXT] [--json] [--fan-out N,M,...]";

    /// <summary>Parses the arguments after the mode; throws <see cref="ArgumentException"/> with a one-line message.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var k = 0; k < args.Count; k++)
        {
            var name = args[k];
            string Value() => ++k < args.Count ? args[k] : throw new ArgumentException($"{name} needs a value; {Usage}");
            int Count(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} {text}: expected a whole number in [{min}, {max}]");
            }
            options = name switch
            {
                "--frames" => options with { Frames = Count(1, 100_000) },
                "--warmup" => options with { WarmupFrames = Count(1, 100_000) },
                "--window" => options with { Window = Count(1, 1_024) },
                "--chunk-size" => options with { ChunkSize = Count(1, QSI.Actors.Messages.Blobs.MaxChunkSize) },
                "--hocon" => options with { Hocon = Value() },
                "--json" => options with { Json = true },
                "--fan-out" => options with { FanOut = Value().Split(',').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 32 ? v : throw new ArgumentException($"--fan-out {n}: expected counts in [1, 32], comma-separated")).ToArray() },
                "--tls-certificate" => options with { TlsCertificate = Value() },
                _ => throw new ArgumentException($"unknown argument '{name}'; {Usage}"),
            };
        }
        return options;
    }

    /// <summary>The arguments that give a receiver these options.</summary>
    public IEnumerable<string> ReceiverArguments()
    {
        yield return "--window";
        yield return Window.ToString(CultureInfo.InvariantCulture);
        yield return "--tls-certificate";
        yield return TlsCertificate;
        if (Hocon.Length == 0) yield break;
        yield return "--hocon";
        yield return Hocon;
    }
}
