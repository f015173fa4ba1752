using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Actors.Transfer.Streams;

namespace QSI.Actors.Transfer;

/// <summary>
/// Holds payloads offered for pulling. A receiver in this process pulls chunks: each
/// <see cref="Blobs.Pull"/> is answered with one <see cref="Blobs.Chunk"/> or a
/// <see cref="Blobs.Unavailable"/>. A receiver in another process asks for a stream
/// (<see cref="Blobs.OpenStream"/>) and gets a one-time <see cref="Blobs.StreamTicket"/>
/// (<see cref="BlobStreams"/>); it pulls no chunks. A payload goes to one receiver: the allowed
/// puller named at publishing (or actors beneath it), else whoever asks first. It is dropped
/// when every chunk has been pulled or it was streamed (whole or not), when it is released,
/// when its puller terminates, or when its time to live runs out.
/// </summary>
public sealed class BlobStore : ReceiveActor, IWithTimers
{
    /// <summary>The conventional name of a node's store.</summary>
    public const string Name = "blob-store";

    private readonly BlobStoreOptions _options;
    private readonly Dictionary<BlobId, Entry> _entries = [];
    private readonly Dictionary<IActorRef, HashSet<BlobId>> _byPuller = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _heldBytes;

    // The store's own messages stay in its process (they carry whole payloads); only Blobs.* cross the wire.

    /// <summary>Publishes <paramref name="Payload"/>, which the store now owns; the sender gets <see cref="Published"/> or <see cref="Refused"/>.</summary>
    /// <param name="Payload">The bytes to offer; not to be modified afterwards.</param>
    /// <param name="Kind">What the payload holds, copied into the offer.</param>
    /// <param name="AllowedPuller">The only receiver allowed to pull (with actors beneath it), watched; null lets the first puller have it.</param>
    public sealed record Publish(byte[] Payload, string Kind, IActorRef? AllowedPuller = null) : INoSerializationVerificationNeeded;

    /// <summary>The answer to <see cref="Publish"/>: the offer to hand to the receiver.</summary>
    /// <param name="Offer">Everything the receiver needs to pull the payload.</param>
    public sealed record Published(Blobs.Offer Offer) : INoSerializationVerificationNeeded;

    /// <summary>The answer to a <see cref="Publish"/> the store cannot hold.</summary>
    /// <param name="Kind">The refused payload's kind.</param>
    /// <param name="Reason">One line saying why.</param>
    public sealed record Refused(string Kind, string Reason) : INoSerializationVerificationNeeded;

    private sealed record Expire(BlobId Id) : INoSerializationVerificationNeeded;

    /// <summary>The stream of payload <paramref name="Id"/> ended: whole when <paramref name="Problem"/> is null.</summary>
    internal sealed record Streamed(BlobId Id, string? Problem) : INoSerializationVerificationNeeded;

    private sealed class Entry(byte[] payload, Blobs.Offer offer)
    {
        public byte[] Payload { get; } = payload;
        public Blobs.Offer Offer { get; } = offer;
        public bool[] Served { get; } = new bool[offer.ChunkCount];
        public int ServedCount { get; set; }
        public IActorRef? Puller { get; set; }
        public ReadOnlyMemory<byte>? Token { get; set; }
    }

    /// <summary>A store with <paramref name="options"/>.</summary>
    public BlobStore(BlobStoreOptions options)
    {
        _options = options.Validated();
        Receive<Publish>(OnPublish);
        Receive<Blobs.Pull>(OnPull);
        Receive<Blobs.OpenStream>(OnOpenStream);
        Receive<Streamed>(s => Drop(s.Id, s.Problem is null ? "streamed whole" : $"its stream failed: {s.Problem}"));
        Receive<Blobs.Release>(r => Drop(r.Id, "released"));
        Receive<Expire>(e => Drop(e.Id, "time to live ran out"));
        Receive<Terminated>(OnPullerTerminated);
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a store; <paramref name="options"/> default to <see cref="BlobStoreOptions.Default"/>.</summary>
    public static Props Props(BlobStoreOptions? options = null)
    {
        var validated = (options ?? BlobStoreOptions.Default).Validated();
        return Akka.Actor.Props.Create(() => new BlobStore(validated));
    }

    private void OnPublish(Publish publish)
    {
        if (_heldBytes + publish.Payload.LongLength > _options.Capacity)
        {
            Sender.Tell(new Refused(publish.Kind, $"the store holds {_heldBytes} of {_options.Capacity} bytes; {publish.Payload.LongLength} more do not fit"));
            return;
        }
        var offer = new Blobs.Offer(BlobId.New(), publish.Kind, publish.Payload.LongLength, _options.ChunkSize, Self);
        var entry = new Entry(publish.Payload, offer);
        _entries.Add(offer.Id, entry);
        _heldBytes += publish.Payload.LongLength;
        if (publish.AllowedPuller is { } puller) Bind(entry, puller);
        Timers.StartSingleTimer(offer.Id, new Expire(offer.Id), _options.TimeToLive);
        Sender.Tell(new Published(offer));
    }

    private void OnPull(Blobs.Pull pull)
    {
        if (Claim(pull.Id) is not { } entry) return;
        if (entry.Token is not null || BlobStreams.IsRemote(Sender))
        {
            Sender.Tell(new Blobs.Unavailable(pull.Id, "chunks are pulled within one process only; another process asks for a stream"));
            return;
        }
        var offer = entry.Offer;
        if (pull.Index >= offer.ChunkCount)
        {
            Sender.Tell(new Blobs.Unavailable(pull.Id, $"chunk {pull.Index} does not exist; the payload has {offer.ChunkCount}"));
            return;
        }
        // A view of the payload, not a copy: the store never modifies a payload, and the serializer copies it once onto the wire.
        var bytes = entry.Payload.AsMemory((int)((long)pull.Index * offer.ChunkSize), offer.ChunkLength(pull.Index));
        Sender.Tell(new Blobs.Chunk(pull.Id, pull.Index, bytes));
        if (!entry.Served[pull.Index])
        {
            entry.Served[pull.Index] = true;
            if (++entry.ServedCount == offer.ChunkCount) Drop(pull.Id, "fully pulled");
        }
    }

    private void OnOpenStream(Blobs.OpenStream open)
    {
        if (Claim(open.Id) is not { } entry) return;
        if (entry.Token is not null || entry.ServedCount > 0)
        {
            Sender.Tell(new Blobs.Unavailable(open.Id, entry.Token is not null ? "a stream was opened for it already" : "it is being pulled in chunks"));
            return;
        }
        var ticket = BlobStreams.Get(Context.System).Grant(open.Id, entry.Payload, Sender, Self, out var problem);
        if (ticket is null)
        {
            Sender.Tell(new Blobs.Unavailable(open.Id, $"no stream: {problem}"));
            return;
        }
        entry.Token = ticket.Token;
        Sender.Tell(ticket);
    }

    // The entry of id when the sender may have it (binding it to the first asker); else answered here, and null.
    private Entry? Claim(BlobId id)
    {
        if (Sender.IsNobody()) return null; // nobody to answer, and nobody to bind the blob to
        if (!_entries.TryGetValue(id, out var entry))
        {
            Sender.Tell(new Blobs.Unavailable(id, "unknown: never offered, expired, released or fully pulled"));
            return null;
        }
        if (entry.Puller is null) Bind(entry, Sender);
        else if (!IsAtOrBeneath(Sender.Path, entry.Puller.Path))
        {
            Sender.Tell(new Blobs.Unavailable(id, "offered to another receiver"));
            return null;
        }
        return entry;
    }

    private void OnPullerTerminated(Terminated terminated)
    {
        if (!_byPuller.TryGetValue(terminated.ActorRef, out var ids)) return;
        foreach (var id in ids.ToArray()) Drop(id, "its puller terminated");
    }

    private void Bind(Entry entry, IActorRef puller)
    {
        entry.Puller = puller;
        if (!_byPuller.TryGetValue(puller, out var ids))
        {
            _byPuller[puller] = ids = [];
            Context.Watch(puller);
        }
        ids.Add(entry.Offer.Id);
    }

    private void Drop(BlobId id, string why)
    {
        if (!_entries.Remove(id, out var entry)) return;
        _heldBytes -= entry.Payload.LongLength;
        Timers.Cancel(id);
        if (entry.Token is { } token) BlobStreams.Get(Context.System).Revoke(token);
        if (entry.Puller is { } puller && _byPuller.TryGetValue(puller, out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _byPuller.Remove(puller);
            Context.Unwatch(puller);
        }
        _log.Debug("dropped {0} blob {1} ({2} bytes): {3}", entry.Offer.Kind, id, entry.Payload.LongLength, why);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or lies beneath it (its per-transfer children).</summary>
    private static bool IsAtOrBeneath(ActorPath path, ActorPath ancestor)
    {
        if (!path.Address.Equals(ancestor.Address) || path.Elements.Count < ancestor.Elements.Count) return false;
        for (var k = 0; k < ancestor.Elements.Count; k++)
            if (path.Elements[k] != ancestor.Elements[k]) return false;
        return true;
    }
}
