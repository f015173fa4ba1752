using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.Actors.Conversation;

/// <summary>
/// The payloads of a set of offers an actor is pulling, one <see cref="BlobDownload"/> child each:
/// which completion belongs to which offer, when all are in, and stopping the rest when the
/// whole is abandoned. Clients pull their light, the verifier its references, the server updates.
/// </summary>
internal sealed class Pulls
{
    private readonly IActorContext _context;
    private readonly Dictionary<BlobId, int> _pending = [];
    private readonly byte[]?[] _payloads;

    /// <summary>Starts pulling every offer of <paramref name="offers"/> as children of <paramref name="context"/>'s actor.</summary>
    public Pulls(IActorContext context, IReadOnlyList<Blobs.Offer> offers)
    {
        _context = context;
        _payloads = new byte[offers.Count][];
        for (var k = 0; k < offers.Count; k++)
        {
            if (!_pending.TryAdd(offers[k].Id, k)) continue;
            context.ActorOf(BlobDownload.Props(offers[k], context.Self), BlobDownload.NameFor(offers[k].Id));
        }
        if (_pending.Count != offers.Count) Problem = "the same payload was offered twice";
    }

    /// <summary>Set when the offers cannot be pulled as given.</summary>
    public string? Problem { get; }

    /// <summary>True once every payload is in.</summary>
    public bool IsComplete => _pending.Count == 0;

    /// <summary>The payloads, in offer order; complete only when <see cref="IsComplete"/>.</summary>
    public byte[][] Payloads => _payloads!;

    /// <summary>True when <paramref name="offer"/> is one of these and still being pulled.</summary>
    public bool Owns(Blobs.Offer offer) => _pending.ContainsKey(offer.Id);

    /// <summary>Takes a completed download if it is one of these; returns its index in offer order, or -1.</summary>
    public int Accept(BlobDownload.Completed completed)
    {
        if (!_pending.Remove(completed.Offer.Id, out var k)) return -1;
        _payloads[k] = completed.Payload;
        return k;
    }

    /// <summary>Stops every download still running; the offers' stores are told by the downloads' end.</summary>
    public void Cancel()
    {
        foreach (var id in _pending.Keys) _context.Child(BlobDownload.NameFor(id)).Tell(PoisonPill.Instance);
        _pending.Clear();
    }
}
