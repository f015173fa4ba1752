using System.Collections.Concurrent;
using Akka.Actor;
using QSI.Actors.Messages;

namespace QSI.Actors.Conversation;

/// <summary>
/// The in-process form of a payload's handover (docs/TRANSPORT.md, "In one process"): instead of
/// serializing light, references or an update and having the receiver pull the bytes, the owner
/// shelves the object itself for the one actor allowed to take it, and sends an ordinary
/// <see cref="Blobs.Offer"/> naming it (kind <c>in-process:KIND</c>, no bytes). The receiver takes
/// it once; a taker other than the one named, a second take or an offer from another process
/// finds nothing. Frames handed over are each client's own (<see cref="Protocol.Encoding.CoherentFrame"/>,
/// with its own identity and copies); only the packed amplitudes beneath them are shared.
/// </summary>
internal sealed class Handover : IExtension
{
    /// <summary>How the kind of an offer handed over in process begins.</summary>
    public const string KindPrefix = "in-process:";

    /// <summary>
    /// Bytes of updates taken and let go between two full collections. An update (2.5 MB for
    /// 784-784-10) lives on the large-object heap until a full collection, which the runtime may
    /// put off until gigabytes of them have piled up; a federation folding a thousand of them per
    /// round collects after every 512 MiB instead, a fraction of a second per 200 updates.
    /// </summary>
    public const long CollectEvery = 512L << 20;

    private readonly ConcurrentDictionary<BlobId, (object Item, IActorRef Taker)> _shelf = new();
    private long _released;

    /// <summary>The handover of <paramref name="system"/>.</summary>
    public static Handover Of(ActorSystem system) => system.WithExtension<Handover, HandoverProvider>();

    /// <summary>True when <paramref name="offer"/> was shelved in a process, not published for pulling.</summary>
    public static bool IsInProcess(Blobs.Offer offer) => offer.Kind.StartsWith(KindPrefix, StringComparison.Ordinal);

    /// <summary>True when every offer of <paramref name="offers"/> (at least one) was shelved in a process.</summary>
    public static bool AllInProcess(IReadOnlyList<Blobs.Offer> offers) => offers.Count > 0 && offers.All(IsInProcess);

    /// <summary>True when <paramref name="actor"/> lives in this process's actor system.</summary>
    public static bool IsLocal(IActorRef actor) => actor.Path.Address.HasLocalScope;

    /// <summary>Objects shelved and not yet taken or dropped.</summary>
    public int Count => _shelf.Count;

    /// <summary>Shelves <paramref name="item"/> for <paramref name="taker"/> alone; the offer names <paramref name="owner"/> as its store.</summary>
    public Blobs.Offer Shelve(object item, string kind, IActorRef taker, IActorRef owner)
    {
        var id = BlobId.New();
        _shelf[id] = (item, taker);
        return new Blobs.Offer(id, KindPrefix + kind, 0, 1, owner);
    }

    /// <summary>
    /// Takes the object of <paramref name="offer"/> as <paramref name="taker"/>; throws
    /// <see cref="InvalidOperationException"/> saying why when there is none for it.
    /// </summary>
    public T Take<T>(Blobs.Offer offer, IActorRef taker) where T : class
    {
        if (!IsInProcess(offer)) throw new InvalidOperationException($"the {offer.Kind} was offered for pulling, not handed over in process");
        if (!_shelf.TryGetValue(offer.Id, out var entry))
            throw new InvalidOperationException($"no {offer.Kind} {offer.Id} is shelved in this process (taken already, dropped, or offered from another process)");
        if (!entry.Taker.Equals(taker)) throw new InvalidOperationException($"the {offer.Kind} {offer.Id} was handed to another actor");
        if (entry.Item is not T item) throw new InvalidOperationException($"the {offer.Kind} {offer.Id} holds a {entry.Item.GetType().Name}");
        if (!_shelf.TryRemove(offer.Id, out _)) throw new InvalidOperationException($"the {offer.Kind} {offer.Id} was taken already");
        return item;
    }

    /// <summary>Drops what <paramref name="offers"/> shelved and nobody took.</summary>
    public void Drop(IEnumerable<Blobs.Offer> offers)
    {
        foreach (var offer in offers) _shelf.TryRemove(offer.Id, out _);
    }

    /// <summary>The receiver is done with <paramref name="bytes"/> it took (an update folded): collects once <see cref="CollectEvery"/> have been let go.</summary>
    public void Released(long bytes)
    {
        if (Interlocked.Add(ref _released, bytes) < CollectEvery) return;
        Interlocked.Exchange(ref _released, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private sealed class HandoverProvider : ExtensionIdProvider<Handover>
    {
        public override Handover CreateExtension(ExtendedActorSystem system) => new();
    }
}
