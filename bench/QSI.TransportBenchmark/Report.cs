using System.Globalization;
using System.Text.Json;

namespace QSI.TransportBenchmark;

/// <summary>The figures of one run: the paths over the same frames, and their ratios.</summary>
internal sealed record Report(BenchmarkOptions Options, Warmup Warmup, Measured AkkaRounds, Measured TcpRounds)
{
    /// <summary>Akka.Remote with mutual TLS, the path of a cluster behind the door.</summary>
    public required Measured AkkaTlsRounds { get; init; }

    /// <summary>A raw mutual-TLS socket, the baseline of the path behind the door.</summary>
    public required Measured RawTls { get; init; }

    /// <summary>Akka.Streams TCP, a design weighed against the blob streams.</summary>
    public required Measured StreamsTcp { get; init; }

    private Throughput Akka => AkkaRounds.Total;

    private Throughput AkkaTls => AkkaTlsRounds.Total;

    private Throughput Tcp => TcpRounds.Total;

    /// <summary>Akka.Remote's throughput as a fraction of raw TCP's.</summary>
    public double Ratio => Akka.MegabytesPerSecond / Tcp.MegabytesPerSecond;

    /// <summary>Akka.Remote's throughput with TLS as a fraction of a raw TLS socket's.</summary>
    public double DoorRatio => AkkaTls.MegabytesPerSecond / RawTls.Total.MegabytesPerSecond;

    /// <summary>Akka.Remote's throughput with TLS as a fraction of its throughput without.</summary>
    public double TlsRatio => AkkaTls.MegabytesPerSecond / Akka.MegabytesPerSecond;

    private string WarmupNote => Warmup.Settled switch
    {
        true => ", until the JIT settled",
        false => $", cut at {BenchmarkOptions.MaxWarmup.TotalSeconds:0} s: the JIT had NOT settled",
        null => "",
    };

    /// <summary>A small table for people.</summary>
    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"{Akka.Frames} frames of {Akka.FrameBytes:N0} bytes ({FramePayloads.Size}x{FramePayloads.Size} layer) each way, after {Warmup.Frames} warm-up frames each ({Warmup.Elapsed.TotalSeconds:F1} s{WarmupNote})"),
            string.Create(c, $"Akka.Remote: {Options.ChunkSize:N0}-byte chunks, window {Options.Window}{(Options.Hocon.Length > 0 ? $", plus: {Options.Hocon.ReplaceLineEndings(" ")}" : "")}"),
            "",
            string.Create(c, $"timed in {AkkaRounds.Rounds.Count} rounds, every path in each, the order turning; MB/s of the slowest and fastest round"),
            "",
            "path                 MB/s   frames/s   seconds   CPU ms/frame   rounds MB/s",
        };
        foreach (var (name, m) in new[] { ("Akka.Remote", AkkaRounds), ("Akka TLS", AkkaTlsRounds), ("raw TCP", TcpRounds), ("raw TLS", RawTls), ("Akka.Streams", StreamsTcp) })
        {
            var t = m.Total;
            lines.Add(string.Create(c, $"{name,-12} {t.MegabytesPerSecond,12:F1} {t.FramesPerSecond,10:F1} {t.Elapsed.TotalSeconds,9:F3} {t.ProcessorMillisecondsPerFrame,14:F2}   {m.SlowestMegabytesPerSecond:F0}-{m.FastestMegabytesPerSecond:F0}"));
        }
        lines.Add("");
        lines.Add(string.Create(c, $"ratio Akka.Remote / raw TCP: {Ratio:F3}"));
        lines.Add(string.Create(c, $"ratio Akka.Remote with TLS / raw TLS: {DoorRatio:F3}"));
        lines.Add(string.Create(c, $"ratio Akka.Streams TCP / raw TCP: {StreamsTcp.Total.MegabytesPerSecond / Tcp.MegabytesPerSecond:F3}"));
        lines.Add(string.Create(c, $"ratio Akka.Remote with TLS / Akka.Remote: {TlsRatio:F3}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>One JSON object: frames, frameBytes, akka, akkaTls and tcp (megabytesPerSecond, framesPerSecond, seconds, processorMillisecondsPerFrame), ratio, and the settings.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        frames = Akka.Frames,
        frameBytes = Akka.FrameBytes,
        warmupFrames = Warmup.Frames,
        warmupSeconds = Math.Round(Warmup.Elapsed.TotalSeconds, 2),
        warmupSettled = Warmup.Settled,
        chunkSize = Options.ChunkSize,
        window = Options.Window,
        hocon = Options.Hocon,
        akka = Figures(AkkaRounds),
        akkaTls = Figures(AkkaTlsRounds),
        tcp = Figures(TcpRounds),
        tls = Figures(RawTls),
        streamsTcp = Figures(StreamsTcp),
        ratio = Math.Round(Ratio, 4),
        doorRatio = Math.Round(DoorRatio, 4),
        tlsRatio = Math.Round(TlsRatio, 4),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static object Figures(Measured m) => Figures(m.Total, m);

    private static object Figures(Throughput t, Measured? m = null) => new
    {
        slowestRoundMegabytesPerSecond = m is null ? (double?)null : Math.Round(m.SlowestMegabytesPerSecond, 2),
        fastestRoundMegabytesPerSecond = m is null ? (double?)null : Math.Round(m.FastestMegabytesPerSecond, 2),
        megabytesPerSecond = Math.Round(t.MegabytesPerSecond, 2),
        framesPerSecond = Math.Round(t.FramesPerSecond, 2),
        seconds = Math.Round(t.Elapsed.TotalSeconds, 4),
        processorMillisecondsPerFrame = Math.Round(t.ProcessorMillisecondsPerFrame, 3),
    };
}
