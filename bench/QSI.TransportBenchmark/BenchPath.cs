namespace QSI.TransportBenchmark;

/// <summary>One way of moving frames to the receiver, as the run drives it: move a range of frames, timed, and ask for the last frame's digest.</summary>
/// <param name="Name">The path's name in the report.</param>
/// <param name="Move">Moves frames [first, first + count), timed.</param>
/// <param name="LastDigest">The SHA-256 of the last frame the receiver holds on this path.</param>
internal sealed record BenchPath(string Name, Func<FramePayloads, int, int, Task<Throughput>> Move, Func<Task<string>> LastDigest);

/// <summary>A path's timed rounds: their sum, and the slowest and fastest round.</summary>
/// <param name="Total">All timed frames together.</param>
/// <param name="Rounds">Each round by itself, in the order run.</param>
internal sealed record Measured(Throughput Total, IReadOnlyList<Throughput> Rounds)
{
    /// <summary>The slowest round's MB/s.</summary>
    public double SlowestMegabytesPerSecond => Rounds.Min(r => r.MegabytesPerSecond);

    /// <summary>The fastest round's MB/s.</summary>
    public double FastestMegabytesPerSecond => Rounds.Max(r => r.MegabytesPerSecond);

    /// <summary>The sum of <paramref name="rounds"/>.</summary>
    public static Measured Of(IReadOnlyList<Throughput> rounds) => new(
        new Throughput(rounds.Sum(r => r.Frames), rounds[0].FrameBytes,
            TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)), TimeSpan.FromTicks(rounds.Sum(r => r.ProcessorTime.Ticks))),
        rounds);
}
