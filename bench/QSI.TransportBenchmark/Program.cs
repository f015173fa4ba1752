using QSI.TransportBenchmark;

// Frame throughput between two processes over Akka.Remote, beside raw TCP (docs/BENCHMARKS.md).
try
{
    if (args.Length > 0 && args[0] == ReceiverHost.Mode)
        return ReceiverHost.Run(BenchmarkOptions.Parse(args[1..]));
    var options = BenchmarkOptions.Parse(args);
    if (options.FanOut.Count > 0)
    {
        Console.Out.WriteLine(await FanOutRun.RunAsync(options, options.FanOut));
        return 0;
    }
    var report = await ServerRun.RunAsync(options);
    Console.Out.WriteLine(options.Json ? report.ToJson() : report.ToTable());
    return 0;
}
catch (Exception e) when (e is BenchmarkException or ArgumentException)
{
    Console.Error.WriteLine($"transport benchmark: {e.Message}");
    return 1;
}
