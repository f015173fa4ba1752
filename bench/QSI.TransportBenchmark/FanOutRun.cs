using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>
/// One server, many clients (<c>--fan-out N,M,...</c>): for each count of receiver processes, the
/// server's one actor system (behind mutual TLS, as a cluster behind the door) publishes frames in
/// its one store for all of them at once, each receiver downloading one frame at a time over its
/// blob stream. It reports the frames per second the server sustains and the processor time of
/// every process per frame, and how busy the machine's cores were: near 1, the machine's
/// processors are the limit, not the transport.
/// </summary>
internal static class FanOutRun
{
    public static async Task<string> RunAsync(BenchmarkOptions options, IReadOnlyList<int> counts)
    {
        var frames = FramePayloads.Build(4);
        var certificate = TlsCertificate.Create();
        options = options with { TlsCertificate = certificate };
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"one server, N receiver processes, {options.Frames} frames of {frames.FrameBytes:N0} bytes to each, all at once, mutual TLS; {Environment.ProcessorCount} cores"),
            "",
            "receivers   frames/s   MB/s   CPU ms/frame   cores busy",
        };
        try
        {
            foreach (var count in counts)
            {
                var receivers = new List<ReceiverProcess>();
                var system = Remoting.StartTls("server", options.Hocon, certificate);
                try
                {
                    for (var k = 0; k < count; k++) receivers.Add(await ReceiverProcess.StartAsync(options));
                    var store = system.ActorOf(BlobStore.Props(), BlobStore.Name);
                    var paths = new List<AkkaPath>();
                    foreach (var receiver in receivers)
                    {
                        var path = new AkkaPath(system, receiver, receiver.TlsAddress, options, store);
                        await path.ConnectAsync();
                        paths.Add(path);
                    }
                    await Task.WhenAll(paths.Select(p => p.MoveAsync(frames, 0, options.WarmupFrames ?? 300)));

                    var processor = ProcessorTime(receivers);
                    var clock = Stopwatch.StartNew();
                    await Task.WhenAll(paths.Select(p => p.MoveAsync(frames, 0, options.Frames)));
                    clock.Stop();
                    var used = ProcessorTime(receivers) - processor;
                    var total = count * options.Frames;
                    lines.Add(string.Create(c, $"{count,9} {total / clock.Elapsed.TotalSeconds,10:F1} {total * (double)frames.FrameBytes / 1e6 / clock.Elapsed.TotalSeconds,6:F0} {used.TotalMilliseconds / total,14:F2} {used / clock.Elapsed / Environment.ProcessorCount,12:F2}"));
                }
                finally
                {
                    await system.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
                    foreach (var receiver in receivers) await receiver.DisposeAsync();
                }
            }
        }
        finally
        {
            File.Delete(certificate);
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static TimeSpan ProcessorTime(IReadOnlyList<ReceiverProcess> receivers)
    {
        using var self = Process.GetCurrentProcess();
        return receivers.Aggregate(self.TotalProcessorTime, (sum, r) => sum + r.ProcessorTime());
    }
}
