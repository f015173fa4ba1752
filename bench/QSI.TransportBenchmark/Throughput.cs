namespace QSI.TransportBenchmark;

/// <summary>
/// <paramref name="Frames"/> frames of <paramref name="FrameBytes"/> bytes moved in
/// <paramref name="Elapsed"/>, using <paramref name="ProcessorTime"/> of both processes.
/// </summary>
internal sealed record Throughput(int Frames, int FrameBytes, TimeSpan Elapsed, TimeSpan ProcessorTime)
{
    /// <summary>Processor milliseconds, both processes together, per frame: what a path costs, less sensitive than speed to other load on the machine.</summary>
    public double ProcessorMillisecondsPerFrame => ProcessorTime.TotalMilliseconds / Frames;

    /// <summary>Megabytes (10^6 bytes) of frame payload per second.</summary>
    public double MegabytesPerSecond => Frames * (double)FrameBytes / 1e6 / Elapsed.TotalSeconds;

    /// <summary>Frames per second.</summary>
    public double FramesPerSecond => Frames / Elapsed.TotalSeconds;
}
