using System.Diagnostics;
using System.Runtime;
using Akka.Actor;

namespace QSI.TransportBenchmark;

/// <summary>
/// The parent process: starts the receiver, then moves the same frames to it over the three
/// paths (Akka.Remote, Akka.Remote with mutual TLS, raw TCP) in this one run (warm-up, then timed), checks that the last frame of each phase arrived
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
            using var tcp = TcpPath.Connect(receiver);

            var warmup = await WarmUpAsync(akka, tls, tcp, frames, options.WarmupFrames);
            Check("Akka.Remote warm-up", await akka.LastDigestAsync(), frames.DigestOf(warmup.Frames - 1));
            Check("Akka.Remote TLS warm-up", await tls.LastDigestAsync(), frames.DigestOf(warmup.Frames - 1));
            Check("TCP warm-up", tcp.LastDigest(), frames.DigestOf(warmup.Frames - 1));

            var last = warmup.Frames + options.Frames - 1;
            var overAkka = await akka.MoveAsync(frames, warmup.Frames, options.Frames);
            Check("Akka.Remote", await akka.LastDigestAsync(), frames.DigestOf(last));
            var overTls = await tls.MoveAsync(frames, warmup.Frames, options.Frames);
            Check("Akka.Remote TLS", await tls.LastDigestAsync(), frames.DigestOf(last));
            var overTcp = tcp.Move(frames, warmup.Frames, options.Frames);
            Check("TCP", tcp.LastDigest(), frames.DigestOf(last));
            return new Report(options, warmup, overAkka, overTcp) { AkkaTls = overTls };
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
    private static async Task<Warmup> WarmUpAsync(AkkaPath akka, AkkaPath tls, TcpPath tcp, FramePayloads frames, int? fixedFrames)
    {
        var clock = Stopwatch.StartNew();
        if (fixedFrames is { } count)
        {
            await akka.MoveAsync(frames, 0, count);
            await tls.MoveAsync(frames, 0, count);
            tcp.Move(frames, 0, count);
            return new Warmup(count, clock.Elapsed, Settled: null);
        }
        var moved = 0;
        var compiled = new Queue<(long Server, long Receiver)>();
        compiled.Enqueue((JitInfo.GetCompiledMethodCount(), await akka.ReceiverCompiledMethodsAsync()));
        while (true)
        {
            await akka.MoveAsync(frames, moved, WarmupRound);
            await tls.MoveAsync(frames, moved, WarmupRound);
            tcp.Move(frames, moved, WarmupRound);
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
