namespace QSI.Actors.Transfer;

/// <summary>Settings of a <see cref="BlobDownload"/>.</summary>
public sealed record BlobDownloadOptions
{
    /// <summary>Defaults: a window of 32 pulls, 5 s per pull, 2 retries, payloads up to 256 MiB.</summary>
    public static BlobDownloadOptions Default { get; } = new();

    /// <summary>
    /// Most pulls outstanding at once; with 64 KiB chunks, 32 keep 2 MiB in flight. Between two
    /// processes on loopback, 32 moved frames about a quarter faster than 8, and 64 no faster
    /// than 32 (docs/BENCHMARKS.md, "Frame transport").
    /// </summary>
    public int Window { get; init; } = 32;

    /// <summary>How long the download waits for any chunk before it pulls the outstanding ones again.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times in a row the outstanding pulls are repeated before the download fails.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Largest payload accepted; a larger offer fails before anything is pulled.</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    /// <summary>These options with a window of <paramref name="pulls"/>.</summary>
    public BlobDownloadOptions WithWindow(int pulls) => this with { Window = pulls };

    /// <summary>These options waiting <paramref name="timeout"/> for a chunk, then retrying <paramref name="retries"/> times.</summary>
    public BlobDownloadOptions WithPullTimeout(TimeSpan timeout, int retries) => this with { PullTimeout = timeout, Retries = retries };

    /// <summary>These options accepting payloads of at most <paramref name="bytes"/>.</summary>
    public BlobDownloadOptions WithMaxBytes(long bytes) => this with { MaxBytes = bytes };

    internal BlobDownloadOptions Validated()
    {
        if (Window < 1) throw new ArgumentOutOfRangeException(nameof(Window), Window, "the window must hold at least one pull");
        if (PullTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PullTimeout), PullTimeout, "pull timeout must be positive");
        if (Retries < 0) throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "retries must not be negative");
        if (MaxBytes < 0 || MaxBytes > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "largest payload must be in [0, Array.MaxLength]");
        return this;
    }
}
