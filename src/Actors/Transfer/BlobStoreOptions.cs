using QSI.Actors.Messages;

namespace QSI.Actors.Transfer;

/// <summary>Settings of a <see cref="BlobStore"/>.</summary>
public sealed record BlobStoreOptions
{
    /// <summary>Defaults: 64 KiB chunks, two minutes to live, 1 GiB held at most.</summary>
    public static BlobStoreOptions Default { get; } = new();

    /// <summary>Length of every chunk but the last; at most <see cref="Blobs.MaxChunkSize"/>.</summary>
    public int ChunkSize { get; init; } = Blobs.MaxChunkSize;

    /// <summary>How long a published payload waits to be pulled before the store drops it.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Most bytes the store holds at once; a publish beyond it is refused, not queued.</summary>
    public long Capacity { get; init; } = 1L << 30;

    /// <summary>These options with chunks of <paramref name="bytes"/>.</summary>
    public BlobStoreOptions WithChunkSize(int bytes) => this with { ChunkSize = bytes };

    /// <summary>These options with a time to live of <paramref name="timeToLive"/>.</summary>
    public BlobStoreOptions WithTimeToLive(TimeSpan timeToLive) => this with { TimeToLive = timeToLive };

    /// <summary>These options holding at most <paramref name="bytes"/>.</summary>
    public BlobStoreOptions WithCapacity(long bytes) => this with { Capacity = bytes };

    internal BlobStoreOptions Validated()
    {
        if (ChunkSize is < 1 or > Blobs.MaxChunkSize)
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, $"chunk size must be in [1, {Blobs.MaxChunkSize}]");
        if (TimeToLive <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeToLive), TimeToLive, "time to live must be positive");
        if (Capacity < 0) throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "capacity must not be negative");
        return this;
    }
}
