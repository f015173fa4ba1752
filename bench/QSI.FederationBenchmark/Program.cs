using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

// Seconds per round of 'qsi simulate', secure against --plain, measured side by side in one run:
// the two alternate (plain, secure, secure, plain, ...) so that drift of the machine falls on
// both alike. Round 1 of each run (JIT, first allocations) is left out of the mean.
var rounds = 5;
var repeats = 2;
var extra = new List<string>();
for (var k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--rounds": rounds = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--repeats": repeats = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--": extra.AddRange(args[(k + 1)..]); k = args.Length; break;
        default:
            Console.Error.WriteLine("usage: QSI.FederationBenchmark [--rounds R (5)] [--repeats K (2)] [-- FLAGS OF qsi simulate]");
            return 2;
    }
}
if (rounds < 2 || repeats < 1)
{
    Console.Error.WriteLine("--rounds must be at least 2 (round 1 is not timed) and --repeats at least 1");
    return 2;
}

var qsi = Path.Combine(AppContext.BaseDirectory, "qsi.dll");
var work = Directory.CreateTempSubdirectory("qsi-federation-benchmark-").FullName;
var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
try
{
    for (var r = 0; r < repeats; r++)
    {
        foreach (var plain in r % 2 == 0 ? new[] { true, false } : [false, true])
        {
            var folder = Path.Combine(work, $"{(plain ? "plain" : "secure")}-{r}");
            var seconds = Run(qsi, folder, rounds, plain, extra);
            times[plain].AddRange(seconds);
            Console.WriteLine($"{(plain ? "plain " : "secure")} run {r + 1}: {string.Join(" ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s per round (rounds 2-{rounds})");
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

double plainMean = times[true].Average(), secureMean = times[false].Average();
Console.WriteLine();
Console.WriteLine("| | seconds per round | rounds timed |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine($"| plain | {plainMean:F2} | {times[true].Count} |");
Console.WriteLine($"| secure | {secureMean:F2} | {times[false].Count} |");
Console.WriteLine($"| secure / plain | **{secureMean / plainMean:F2}** | |");
return 0;

static double[] Run(string qsi, string folder, int rounds, bool plain, IReadOnlyList<string> extra)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { qsi, "simulate", "--rounds", rounds.ToString(CultureInfo.InvariantCulture), "--out", folder, "--json" }) info.ArgumentList.Add(arg);
    if (plain) info.ArgumentList.Add("--plain");
    foreach (var arg in extra) info.ArgumentList.Add(arg);
    using var process = Process.Start(info)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"qsi simulate exited {process.ExitCode}: {stderr.Result}");
    using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
    _ = stdout;
    return metrics.RootElement.GetProperty("rounds").EnumerateArray().Skip(1).Select(r => r.GetProperty("seconds").GetDouble()).ToArray();
}
