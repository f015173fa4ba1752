using System.Diagnostics;
using System.Runtime;
using Akka.Actor;

namespace QSI.TransportBenchmark;

/// <summary>
/// The parent process: starts the receiver, then moves the same frames to it over the five
/// paths (Akka.Remote and Akka.Remote with mutual TLS, each with its blob streams; raw TCP and raw TLS sockets; Akka.Streams TCP)
/// in this one run (warm-up, then timed rounds in turn), checks that the last frame of each round arrived
/// intact, and reports.
/// </summary>
internal static class ServerRun
{
    /// <summary>How many distinct frames the run cycles through.</summary>
    private const int DistinctFrames = 4;

    /// <summary>Frames per path in one round of the warm-up.</summary>
    private const int WarmupRound = 20;

    /// <summary>Rounds over which the JIT must have been quiet: 100 frames per path, about a second.</summary>
    private const int QuietRounds = 5;

    /// <summary>Most methods either process may compile in the last <see cref="QuietRounds"/> rounds for the JIT to count as settled.</summary>
    private const int QuietMethods = 50;

    /// <summary>Rounds of the timed phase; each path moves its share of the frames in every round, the order turning from round to round.</summary>
    private const int TimedRounds = 4;

    public static async Task<Report> RunAsync(BenchmarkOptions options)
    {
        var frames = FramePayloads.Build(DistinctFrames);
        var certificate = TlsCertificate.Create();
        options = options with { TlsCertificate = certificate };
        await using var receiver = await ReceiverProcess.StartAsync(options);
        var system = Remoting.Start("server", options.Hocon);
        var tlsSystem = Remoting.StartTls("server", options.Hocon, certificate);
        try
        {
            var akka = new AkkaPath(system, receiver, receiver.AkkaAddress, options);
            await akka.ConnectAsync();
            var tls = new AkkaPath(tlsSystem, receiver, receiver.TlsAddress, options);
            await tls.ConnectAsync();
            using var tcp = TcpPath.Connect(receiver, receiver.TcpPort, tls: null);
            using var rawTls = TcpPath.Connect(receiver, receiver.TlsPort, TlsCertificate.Load(certificate));
            var streams = StreamsTcpPath.Connect(system, receiver);
            BenchPath[] paths =
            [
                new("Akka.Remote", akka.MoveAsync, akka.LastDigestAsync),
                new("Akka TLS", tls.MoveAsync, tls.LastDigestAsync),
                new("raw TCP", (f, first, count) => Task.FromResult(tcp.Move(f, first, count)), () => Task.FromResult(tcp.LastDigest())),
                new("raw TLS", (f, first, count) => Task.FromResult(rawTls.Move(f, first, count)), () => Task.FromResult(rawTls.LastDigest())),
                new("Akka.Streams TCP", streams.MoveAsync, streams.LastDigestAsync),
            ];

            var warmup = await WarmUpAsync(paths, akka, frames, options.WarmupFrames);
            foreach (var path in paths) Check($"{path.Name} warm-up", await path.LastDigest(), frames.DigestOf(warmup.Frames - 1));

            // The machine is shared: every path runs in every round, and the order turns, so load that comes and goes falls on all of them.
            var rounds = paths.Select(_ => new List<Throughput>()).ToArray();
            var share = Math.Max(1, options.Frames / TimedRounds);
            var first = warmup.Frames;
            for (var round = 0; round < TimedRounds; round++, first += share)
            {
                for (var k = 0; k < paths.Length; k++)
                {
                    var p = (k + round) % paths.Length;
                    rounds[p].Add(await paths[p].Move(frames, first, share));
                    Check(paths[p].Name, await paths[p].LastDigest(), frames.DigestOf(first + share - 1));
                }
            }
            var measured = rounds.Select(Measured.Of).ToArray();
            return new Report(options, warmup, measured[0], measured[2]) { AkkaTlsRounds = measured[1], RawTls = measured[3], StreamsTcp = measured[4] };
        }
        finally
        {
            await Task.WhenAll(system.Terminate(), tlsSystem.Terminate()).WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
            File.Delete(certificate);
        }
    }

    /// <summary>
    /// Moves <paramref name="fixedFrames"/> frames on each path, or, when null, rounds of
    /// <see cref="WarmupRound"/> frames on each path until, over the last <see cref="QuietRounds"/>
    /// rounds, neither process's JIT compiled <see cref="QuietMethods"/> methods. Tiered
    /// compilation recompiles the hot paths of Akka.Remote and DotNetty in bursts for several
    /// seconds after they first run (about 4,000 methods in each process, with quiet rounds in
    /// between); timing before that measures the JIT, not the transport.
    /// </summary>
    private static async Task<Warmup> WarmUpAsync(BenchPath[] paths, AkkaPath akka, FramePayloads frames, int? fixedFrames)
    {
        var clock = Stopwatch.StartNew();
        if (fixedFrames is { } count)
        {
            foreach (var path in paths) await path.Move(frames, 0, count);
            return new Warmup(count, clock.Elapsed, Settled: null);
        }
        var moved = 0;
        var compiled = new Queue<(long Server, long Receiver)>();
        compiled.Enqueue((JitInfo.GetCompiledMethodCount(), await akka.ReceiverCompiledMethodsAsync()));
        while (true)
        {
            foreach (var path in paths) await path.Move(frames, moved, WarmupRound);
            moved += WarmupRound;
            var now = (Server: JitInfo.GetCompiledMethodCount(), Receiver: await akka.ReceiverCompiledMethodsAsync());
            compiled.Enqueue(now);
            if (compiled.Count > QuietRounds + 1) compiled.Dequeue();
            var then = compiled.Peek();
            var settled = compiled.Count == QuietRounds + 1 && now.Server - then.Server < QuietMethods && now.Receiver - then.Receiver < QuietMethods;
            if (settled || clock.Elapsed > BenchmarkOptions.MaxWarmup) return new Warmup(moved, clock.Elapsed, settled);
        }
    }

    private static void Check(string phase, string received, string sent)
    {
        if (received != sent)
            throw new BenchmarkException($"{phase}: the last frame the receiver holds has SHA-256 {received[..16]}..., the frame sent {sent[..16]}...");
    }
}

/// <summary>The warm-up before timing: <paramref name="Frames"/> on each path in <paramref name="Elapsed"/>; whether the JIT settled (null for a fixed count).</summary>
internal sealed record Warmup(int Frames, TimeSpan Elapsed, bool? Settled);
