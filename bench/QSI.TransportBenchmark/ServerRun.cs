using Akka.Actor;

namespace QSI.TransportBenchmark;

/// <summary>
/// The parent process: starts the receiver, then moves the same frames to it over both paths
/// in this one run (warm-up, then timed), checks that the last frame of each phase arrived
/// intact, and reports.
/// </summary>
internal static class ServerRun
{
    /// <summary>How many distinct frames the run cycles through.</summary>
    private const int DistinctFrames = 4;

    public static async Task<Report> RunAsync(BenchmarkOptions options)
    {
        var frames = FramePayloads.Build(DistinctFrames);
        await using var receiver = await ReceiverProcess.StartAsync(options);
        var system = Remoting.Start("server", options.Hocon);
        try
        {
            var akka = new AkkaPath(system, receiver, options);
            await akka.ConnectAsync();
            using var tcp = TcpPath.Connect(receiver);

            var warmup = options.WarmupFrames;
            await akka.MoveAsync(frames, 0, warmup);
            Check("Akka.Remote warm-up", await akka.LastDigestAsync(), frames.DigestOf(warmup - 1));
            tcp.Move(frames, 0, warmup);
            Check("TCP warm-up", tcp.LastDigest(), frames.DigestOf(warmup - 1));

            var last = warmup + options.Frames - 1;
            var overAkka = await akka.MoveAsync(frames, warmup, options.Frames);
            Check("Akka.Remote", await akka.LastDigestAsync(), frames.DigestOf(last));
            var overTcp = tcp.Move(frames, warmup, options.Frames);
            Check("TCP", tcp.LastDigest(), frames.DigestOf(last));
            return new Report(options, overAkka, overTcp);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static void Check(string phase, string received, string sent)
    {
        if (received != sent)
            throw new BenchmarkException($"{phase}: the last frame the receiver holds has SHA-256 {received[..16]}..., the frame sent {sent[..16]}...");
    }
}
