using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

// Seconds per round of 'qsi simulate', secure against --plain (or without against with any other
// flag, --flag F), measured side by side in one run: the two alternate (A, B, B, A, ...) so that
// drift of the machine falls on both alike. Round 1 of each run (JIT, first allocations) is left
// out of the mean, and so is it from "cores busy": the process's processor time over the wall time
// of rounds 2 to R, sampled as each round's line lands in metrics.csv. With --flag --secure-aggregation it also counts the bytes a client sends for it.
var rounds = 5;
var repeats = 2;
string? flag = null;
var extra = new List<string>();
for (var k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--rounds": rounds = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--repeats": repeats = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--flag": flag = args[++k]; break;
        case "--": extra.AddRange(args[(k + 1)..]); k = args.Length; break;
        default:
            Console.Error.WriteLine("usage: QSI.FederationBenchmark [--rounds R (5)] [--repeats K (2)] [--flag F (secure against --plain)] [-- FLAGS OF qsi simulate]");
            return 2;
    }
}
if (rounds < 2 || repeats < 1)
{
    Console.Error.WriteLine("--rounds must be at least 2 (round 1 is not timed) and --repeats at least 1");
    return 2;
}

// The baseline first, then the variant whose cost is measured.
(string Label, string[] Flags)[] variants = flag is null ? [("plain", ["--plain"]), ("secure", [])] : [($"without {flag}", []), ($"with {flag}", [flag])];
var qsi = Path.Combine(AppContext.BaseDirectory, "qsi.dll");
var work = Directory.CreateTempSubdirectory("qsi-federation-benchmark-").FullName;
var times = variants.Select(_ => new List<double>()).ToArray();
var busy = variants.Select(_ => new List<double>()).ToArray();
try
{
    for (var r = 0; r < repeats; r++)
    {
        foreach (var v in r % 2 == 0 ? new[] { 0, 1 } : [1, 0])
        {
            var folder = Path.Combine(work, $"{v}-{r}");
            var (seconds, cores) = Run(qsi, folder, rounds, [.. variants[v].Flags, .. extra]);
            times[v].AddRange(seconds);
            busy[v].Add(cores);
            Console.WriteLine($"{variants[v].Label} run {r + 1}: {string.Join(" ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s per round (rounds 2-{rounds}), {cores:F2} cores busy");
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

double baseMean = times[0].Average(), variantMean = times[1].Average();
Console.WriteLine();
Console.WriteLine($"| | seconds per round | rounds timed | cores busy (of {Environment.ProcessorCount}) |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| {variants[0].Label} | {baseMean:F2} | {times[0].Count} | {busy[0].Average():F2} |");
Console.WriteLine($"| {variants[1].Label} | {variantMean:F2} | {times[1].Count} | {busy[1].Average():F2} |");
Console.WriteLine($"| {variants[1].Label} / {variants[0].Label} | **{variantMean / baseMean:F2}** | | |");
if (flag == "--secure-aggregation") QSI.FederationBenchmark.SecAggTraffic.Print(extra);
return 0;

static (double[] Seconds, double CoresBusy) Run(string qsi, string folder, int rounds, IReadOnlyList<string> extra)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { qsi, "simulate", "--rounds", rounds.ToString(CultureInfo.InvariantCulture), "--out", folder, "--json" }) info.ArgumentList.Add(arg);
    foreach (var arg in extra) info.ArgumentList.Add(arg);
    using var process = Process.Start(info)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEndAsync();
    // Processor time and wall time when round 1's line lands in metrics.csv, and when round R's does.
    (TimeSpan Cpu, long Wall)? first = null, last = null;
    var csv = Path.Combine(folder, "metrics.csv");
    while (!process.WaitForExit(100))
    {
        var done = RoundsWritten(csv);
        if (done >= 1 && first is null) first = (process.TotalProcessorTime, Stopwatch.GetTimestamp());
        if (done >= rounds && last is null) last = (process.TotalProcessorTime, Stopwatch.GetTimestamp());
    }
    if (process.ExitCode != 0) throw new InvalidOperationException($"qsi simulate exited {process.ExitCode}: {stderr.Result}");
    _ = stdout.Result;
    using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
    var seconds = metrics.RootElement.GetProperty("rounds").EnumerateArray().Skip(1).Select(r => r.GetProperty("seconds").GetDouble()).ToArray();
    var cores = first is { } a && last is { } b ? (b.Cpu - a.Cpu).TotalSeconds / Stopwatch.GetElapsedTime(a.Wall, b.Wall).TotalSeconds : double.NaN;
    return (seconds, cores);
}

static int RoundsWritten(string csv)
{
    try
    {
        return File.Exists(csv) ? Math.Max(0, File.ReadLines(csv).Count() - 1) : 0;
    }
    catch (IOException)
    {
        return 0;
    }
}
