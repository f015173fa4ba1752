using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer.Streams;

namespace QSI.Actors.Transfer;

/// <summary>
/// Downloads one offered payload and answers its requester with <see cref="Completed"/> or
/// <see cref="Failed"/>; then it stops. From a store in this process it pulls chunks, never more
/// than a window outstanding, each checked against the offer (blob, index pulled, length); when
/// no chunk arrives within the pull timeout the outstanding pulls are repeated, a fixed number
/// of times in a row, before the download fails. From a store in another process it asks for a
/// stream ticket and reads the whole payload over the stream (<see cref="BlobStreams"/>) straight
/// into its array, failing when the ticket or any progress takes longer than the pull timeout
/// times the retries plus one, or when the stream brings anything but the exact bytes offered.
/// </summary>
public sealed class BlobDownload : ReceiveActor, IWithTimers
{
    private readonly Blobs.Offer _offer;
    private readonly IActorRef _requester;
    private readonly BlobDownloadOptions _options;
    private readonly HashSet<int> _outstanding = [];
    private byte[] _payload = [];
    private bool[] _received = [];
    private int _next;
    private int _receivedCount;
    private int _retriesLeft;
    private readonly CancellationTokenSource _streaming = new();
    private bool _awaitingTicket;

    // Answers go to a requester in the same process; only Blobs.* cross the wire.

    /// <summary>The whole payload of <paramref name="Offer"/>.</summary>
    /// <param name="Offer">The offer that was downloaded.</param>
    /// <param name="Payload">The reassembled bytes, <see cref="Blobs.Offer.TotalBytes"/> long.</param>
    public sealed record Completed(Blobs.Offer Offer, byte[] Payload) : INoSerializationVerificationNeeded;

    /// <summary>The download of <paramref name="Offer"/> gave up.</summary>
    /// <param name="Offer">The offer that could not be downloaded.</param>
    /// <param name="Reason">One line saying why.</param>
    public sealed record Failed(Blobs.Offer Offer, string Reason) : INoSerializationVerificationNeeded;

    private sealed record PullTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly PullTimedOut Instance = new();
    }

    private sealed record StreamEnded(string? Problem) : INoSerializationVerificationNeeded;

    /// <summary>A download of <paramref name="offer"/> for <paramref name="requester"/>.</summary>
    public BlobDownload(Blobs.Offer offer, IActorRef requester, BlobDownloadOptions options)
    {
        _offer = offer;
        _requester = requester;
        _options = options.Validated();
        _retriesLeft = _options.Retries;
        Receive<Blobs.Chunk>(OnChunk);
        Receive<Blobs.Unavailable>(u => Fail(u.Id == _offer.Id ? $"the store cannot serve it: {u.Reason}" : $"an answer about blob {u.Id} arrived", release: false));
        Receive<Blobs.StreamTicket>(OnTicket);
        Receive<StreamEnded>(OnStreamEnded);
        Receive<PullTimedOut>(_ => OnPullTimedOut());
        Receive<Terminated>(_ => Fail("the store terminated", release: false));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the download of <paramref name="offer"/>, answering <paramref name="requester"/>.</summary>
    public static Props Props(Blobs.Offer offer, IActorRef requester, BlobDownloadOptions? options = null)
    {
        var validated = (options ?? BlobDownloadOptions.Default).Validated();
        return Akka.Actor.Props.Create(() => new BlobDownload(offer, requester, validated));
    }

    /// <summary>The conventional name of the actor downloading <paramref name="id"/>.</summary>
    public static string NameFor(BlobId id) => $"blob-download-{id.Value:N}";

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_offer.TotalBytes < 0 || _offer.TotalBytes > _options.MaxBytes)
        {
            Fail($"{_offer.TotalBytes} bytes are outside the accepted payload sizes [0, {_options.MaxBytes}]", release: true);
            return;
        }
        if (_offer.ChunkSize is < 1 or > Blobs.MaxChunkSize)
        {
            Fail($"chunk size {_offer.ChunkSize} is out of range [1, {Blobs.MaxChunkSize}]", release: true);
            return;
        }
        _payload = new byte[_offer.TotalBytes];
        _received = new bool[_offer.ChunkCount];
        Context.Watch(_offer.Store);
        if (BlobStreams.IsRemote(_offer.Store))
        {
            _awaitingTicket = true;
            _offer.Store.Tell(new Blobs.OpenStream(_offer.Id));
            Timers.StartSingleTimer(PullTimedOut.Instance, PullTimedOut.Instance, _options.PullTimeout * (_options.Retries + 1));
            return;
        }
        FillWindow();
        Timers.StartSingleTimer(PullTimedOut.Instance, PullTimedOut.Instance, _options.PullTimeout);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _streaming.Cancel();
        _streaming.Dispose();
    }

    private void OnTicket(Blobs.StreamTicket ticket)
    {
        if (!Sender.Equals(_offer.Store)) return; // only the store grants tickets for its payloads
        if (!_awaitingTicket || ticket.Id != _offer.Id)
        {
            Fail(ticket.Id != _offer.Id ? $"a stream ticket of blob {ticket.Id} arrived" : "a second stream ticket arrived", release: true);
            return;
        }
        _awaitingTicket = false;
        Timers.Cancel(PullTimedOut.Instance);
        var progress = _options.PullTimeout * (_options.Retries + 1);
        BlobStreams.Get(Context.System).ReceiveAsync(ticket, _offer, _payload, progress, _streaming.Token)
            .PipeTo(Self, success: () => new StreamEnded(null), failure: e => new StreamEnded(e is StreamFailedException ? e.Message : $"the stream failed: {e.Message.ReplaceLineEndings(" ")}"));
    }

    private void OnStreamEnded(StreamEnded ended)
    {
        if (ended.Problem is { } problem)
        {
            Fail($"over its stream: {problem}", release: true);
            return;
        }
        _requester.Tell(new Completed(_offer, _payload));
        Context.Stop(Self);
    }

    private void OnChunk(Blobs.Chunk chunk)
    {
        if (chunk.Id != _offer.Id)
        {
            Fail($"a chunk of blob {chunk.Id} arrived", release: true);
            return;
        }
        if (!_outstanding.Remove(chunk.Index))
        {
            // A chunk pulled twice (after a timeout) may arrive twice; anything else was never asked for.
            if (chunk.Index >= 0 && chunk.Index < _next && _received[chunk.Index]) return;
            Fail($"chunk {chunk.Index} arrived but was not pulled", release: true);
            return;
        }
        var expected = _offer.ChunkLength(chunk.Index);
        if (chunk.Bytes.Length != expected)
        {
            Fail($"chunk {chunk.Index} has {chunk.Bytes.Length} bytes; expected {expected}", release: true);
            return;
        }
        chunk.Bytes.Span.CopyTo(_payload.AsSpan((int)((long)chunk.Index * _offer.ChunkSize)));
        _received[chunk.Index] = true;
        _retriesLeft = _options.Retries;
        if (++_receivedCount == _offer.ChunkCount)
        {
            _requester.Tell(new Completed(_offer, _payload));
            Context.Stop(Self);
            return;
        }
        FillWindow();
        Timers.StartSingleTimer(PullTimedOut.Instance, PullTimedOut.Instance, _options.PullTimeout);
    }

    private void OnPullTimedOut()
    {
        if (_awaitingTicket)
        {
            Fail($"no stream ticket arrived within {(_options.PullTimeout * (_options.Retries + 1)).TotalSeconds:0.###} s", release: true);
            return;
        }
        if (_retriesLeft == 0)
        {
            Fail($"no chunk arrived within {_options.PullTimeout.TotalSeconds:0.###} s, {_options.Retries + 1} times in a row", release: true);
            return;
        }
        _retriesLeft--;
        foreach (var index in _outstanding.Order()) _offer.Store.Tell(new Blobs.Pull(_offer.Id, index));
        Timers.StartSingleTimer(PullTimedOut.Instance, PullTimedOut.Instance, _options.PullTimeout);
    }

    private void FillWindow()
    {
        while (_outstanding.Count < _options.Window && _next < _offer.ChunkCount)
        {
            _outstanding.Add(_next);
            _offer.Store.Tell(new Blobs.Pull(_offer.Id, _next));
            _next++;
        }
    }

    private void Fail(string reason, bool release)
    {
        if (release) _offer.Store.Tell(new Blobs.Release(_offer.Id));
        _requester.Tell(new Failed(_offer, $"download of {_offer.Kind} blob {_offer.Id}: {reason}"));
        Context.Stop(Self);
    }
}
