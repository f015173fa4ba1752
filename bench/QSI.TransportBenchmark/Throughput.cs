namespace QSI.TransportBenchmark;

/// <summary><paramref name="Frames"/> frames of <paramref name="FrameBytes"/> bytes moved in <paramref name="Elapsed"/>.</summary>
internal sealed record Throughput(int Frames, int FrameBytes, TimeSpan Elapsed)
{
    /// <summary>Megabytes (10^6 bytes) of frame payload per second.</summary>
    public double MegabytesPerSecond => Frames * (double)FrameBytes / 1e6 / Elapsed.TotalSeconds;

    /// <summary>Frames per second.</summary>
    public double FramesPerSecond => Frames / Elapsed.TotalSeconds;
}
