using System.Globalization;

namespace QSI.Node.Runs;

/// <summary>
/// What one process's federation (<c>qsi simulate</c>) will hold at its peak, by part, so that a run
/// that cannot fit says so before it starts. The constants were fitted to runs of 10 to 10,000
/// clients of MNIST's 784-784-10 network on two cores (docs/BENCHMARKS.md, "Scale: clients in one
/// process").
/// </summary>
/// <param name="Runtime">The .NET runtime, Akka and the code, whatever the run.</param>
/// <param name="Data">The training images (the data set's bytes, each client's copy and its normalized inputs) and the server's test set.</param>
/// <param name="Model">The global model, its encodings shared by the round's frames, and the server's copies of it.</param>
/// <param name="InFlight">Per task computing at once: a borrowed trainer, its channel's workspaces, the first layer's products with the largest client's samples (formed once per task), and what they leave to the collector.</param>
/// <param name="Sampled">Per client of the largest phase: its task, frames, references, checks and their messages.</param>
/// <param name="Idle">Per client, working or not: its actor, its store, its accounts.</param>
/// <param name="KeptUpdates">The updates the server holds at once: as many as run at once when it folds them as they come, else every fit client's.</param>
/// <param name="Extractors">What the extracting clients gather, for as many of them as the run can sample (<see cref="QSI.Federation.Adversaries.WeightExtractor.HeldBytes"/>).</param>
internal sealed record MemoryEstimate(long Runtime, long Data, long Model, long InFlight, long Sampled, long Idle, long KeptUpdates, long Extractors = 0)
{
    /// <summary>Bytes of the runtime, Akka and the code.</summary>
    public const long RuntimeBytes = 256L << 20;

    /// <summary>Bytes an idle client costs beyond its data (measured: 1,000 against 10,000 idle clients).</summary>
    public const long IdleClientBytes = 28L << 10;

    /// <summary>Model-sized arrays one computing task holds or leaves to the collector before it runs again.</summary>
    public const int InFlightModels = 128;

    /// <summary>Model-sized arrays the server, its encodings and its evaluation hold.</summary>
    public const int ServerModels = 8;

    /// <summary>The estimated peak, bytes.</summary>
    public long Total => Runtime + Data + Model + InFlight + Sampled + Idle + KeptUpdates + Extractors;

    /// <summary>
    /// The estimate for <paramref name="clients"/> clients holding <paramref name="trainSamples"/>
    /// images of <paramref name="pixels"/> pixels, a server test set of <paramref name="testSamples"/>,
    /// a model of <paramref name="parameters"/> values, phases of at most <paramref name="sampled"/> clients
    /// (<paramref name="fitClients"/> of them fitting), <paramref name="computeSlots"/> tasks at once, and
    /// updates folded as they come when <paramref name="folds"/>; the largest client holds
    /// <paramref name="largestClient"/> samples and the first layer has <paramref name="firstRows"/> rows;
    /// each input value is stored in <paramref name="valueBytes"/> bytes (1 for a pixel, 4 for a standardised feature).
    /// </summary>
    public static MemoryEstimate For(int clients, long trainSamples, long testSamples, int pixels, long parameters,
        int fitClients, int sampled, int computeSlots, bool folds, long largestClient = 0, int firstRows = 0, int valueBytes = 1)
    {
        var model = parameters * sizeof(float);
        // A task's prepared products: Re and Im per row and its unit inputs per sample, from pooled
        // arrays that stay in the pool after the task (so twice); none past PreparedInputs' limit.
        var prepared = largestClient * firstRows > QSI.Protocol.Client.PreparedInputs.MaxProducts
            ? 0
            : 2 * largestClient * (2L * firstRows + pixels + 1) * sizeof(float);
        // Bytes per input value: the data set's, each client's copy, and its normalized float.
        var data = trainSamples * pixels * (valueBytes + valueBytes + sizeof(float)) + testSamples * pixels * (valueBytes + sizeof(float));
        return new MemoryEstimate(
            RuntimeBytes, data, ServerModels * model, computeSlots * (InFlightModels * model + prepared),
            sampled * model / 4, clients * IdleClientBytes,
            (folds ? computeSlots + 1 : fitClients) * model);
    }

    /// <summary>
    /// The memory this process may use: the machine's available memory (/proc/meminfo MemAvailable,
    /// where there is one), never more than the runtime's limit (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
    /// a container's limit if any).
    /// </summary>
    public static long Available()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return MemAvailable() is { } free ? Math.Min(free, limit) : limit;
    }

    private static long? MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return null;
    }

    /// <summary>Reads a size: bytes, or a number with K, M, G or T (powers of 1024, an optional "iB" or "B" after).</summary>
    /// <exception cref="FormatException">The text is no size.</exception>
    public static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        if (t.EndsWith("IB", StringComparison.Ordinal)) t = t[..^2];
        else if (t.EndsWith('B')) t = t[..^1];
        var shift = t.Length == 0 ? 0 : t[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        if (shift > 0) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || double.IsInfinity(value))
            throw new FormatException($"'{text}' is not a size; use bytes or a number with K, M, G or T (e.g. 4G)");
        return (long)Math.Min(long.MaxValue, value * Math.Pow(2, shift));
    }

    /// <summary>Bytes in GiB, two decimals: "1.72 GiB".</summary>
    public static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>The parts in one line: "data 0.30 GiB, model ..., ...".</summary>
    public string Parts() => string.Join(", ",
        $"runtime {Gib(Runtime)}", $"data {Gib(Data)}", $"model {Gib(Model)}", $"computing tasks {Gib(InFlight)}",
        $"sampled clients {Gib(Sampled)}", $"idle clients {Gib(Idle)}", $"kept updates {Gib(KeptUpdates)}",
        $"extracting clients {Gib(Extractors)}");
}
