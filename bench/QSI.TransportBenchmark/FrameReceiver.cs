using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>
/// The receiver's end of the Akka path (<c>frame-receiver</c>): downloads every offer it is
/// sent with a <see cref="BlobDownload"/> child and, once the frame is reassembled, answers
/// the offer's sender with the frame's length (a <see cref="long"/>), or with a one-line
/// reason (a <see cref="string"/>) if the download failed. Asked <see cref="DigestRequest"/>,
/// it answers the SHA-256 of the last frame it reassembled; asked <see cref="CompiledMethodsRequest"/>,
/// the number of methods its JIT has compiled. Replies are primitives, which
/// Akka.Remote carries itself, so the benchmark adds no wire messages.
/// </summary>
internal sealed class FrameReceiver : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "frame-receiver";

    /// <summary>Asks for the digest of the last frame reassembled.</summary>
    public const string DigestRequest = "digest";

    /// <summary>Asks how many methods the receiver's JIT has compiled so far (a <see cref="long"/>), to tell when its warm-up is over.</summary>
    public const string CompiledMethodsRequest = "compiled-methods";

    private readonly BlobDownloadOptions _options;
    private readonly Dictionary<BlobId, IActorRef> _askers = [];
    private byte[]? _last;

    public FrameReceiver(BlobDownloadOptions options)
    {
        _options = options;
        Receive<Blobs.Offer>(OnOffer);
        Receive<BlobDownload.Completed>(OnCompleted);
        Receive<BlobDownload.Failed>(f => Answer(f.Offer.Id, $"the receiver's {f.Reason}"));
        Receive<string>(s => s == DigestRequest, _ => Sender.Tell(_last is null ? "no frame received" : FramePayloads.Digest(_last)));
        Receive<string>(s => s == CompiledMethodsRequest, _ => Sender.Tell(System.Runtime.JitInfo.GetCompiledMethodCount()));
    }

    /// <summary>Props of a receiver whose downloads use <paramref name="options"/>.</summary>
    public static Props Props(BlobDownloadOptions options) => Akka.Actor.Props.Create(() => new FrameReceiver(options));

    private void OnOffer(Blobs.Offer offer)
    {
        _askers[offer.Id] = Sender;
        Context.ActorOf(BlobDownload.Props(offer, Self, _options), BlobDownload.NameFor(offer.Id));
    }

    private void OnCompleted(BlobDownload.Completed completed)
    {
        _last = completed.Payload;
        Answer(completed.Offer.Id, completed.Payload.LongLength);
    }

    private void Answer(BlobId id, object answer)
    {
        if (_askers.Remove(id, out var asker)) asker.Tell(answer);
    }
}
