using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.Actors.Tests.Transfer;

/// <summary>
/// A test kit whose system serializes every message it delivers (serialize-messages = on), so
/// each pull, chunk and offer of these tests also goes through the wire codec. Akka.Remote's
/// bindings come along, as on a real node: with unregistered types refused, Akka's own
/// messages (PoisonPill, Identify) need them too.
/// </summary>
public abstract class TransferSpec() : Akka.TestKit.Xunit2.TestKit(SerializingSystem.Config)
{
    /// <summary>A store with <paramref name="options"/>.</summary>
    protected IActorRef Store(BlobStoreOptions? options = null) => Sys.ActorOf(BlobStore.Props(options), BlobStore.Name);

    /// <summary>Publishes <paramref name="payload"/> in <paramref name="store"/> and returns its offer.</summary>
    protected Blobs.Offer Publish(IActorRef store, byte[] payload, string kind = "frame", IActorRef? allowedPuller = null)
    {
        store.Tell(new BlobStore.Publish(payload, kind, allowedPuller), TestActor);
        return ExpectMsg<BlobStore.Published>().Offer;
    }

    /// <summary>Starts the download of <paramref name="offer"/>, answering the test actor.</summary>
    protected IActorRef Download(Blobs.Offer offer, BlobDownloadOptions? options = null) =>
        Sys.ActorOf(BlobDownload.Props(offer, TestActor, options), BlobDownload.NameFor(offer.Id));

    /// <summary><paramref name="count"/> seeded random bytes.</summary>
    protected static byte[] RandomBytes(int count, int seed = 1)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
