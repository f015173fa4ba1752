using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using QSI.Actors.Messages;
using Xunit.Abstractions;

namespace QSI.Actors.Tests.Remoting;

public sealed class MalformedMessageSpecs(ITestOutputHelper output) : RemoteSpec(output, Garbling)
{
    private static readonly Config Garbling = ConfigurationFactory
        .ParseString("""akka.actor.serializers.qsi = "QSI.Actors.Tests.Remoting.GarblingSerializer, QSI.Actors.Tests" """)
        .WithFallback(Remoting);

    [Fact]
    public void Malformed_messages_are_dropped_and_the_association_stays_up()
    {
        var unexpected = AssociationWatch(SystemB);
        var logs = CreateTestProbe(SystemB);
        SystemB.EventStream.Subscribe(logs.Ref, typeof(Warning));
        SystemB.EventStream.Subscribe(logs.Ref, typeof(Error));
        var client = CreateTestProbe(SystemB, "client");
        var toClient = FromA(client.Ref);
        var chunk = Write(new Blobs.Chunk(BlobId.New(), 0, new byte[1000]));

        toClient.Tell(new Garbled("blob-chunk", chunk[..^1]));
        toClient.Tell(new Garbled("blob-offer", [0xde, 0xad, 0xbe, 0xef]));
        toClient.Tell(new Garbled("no-such-message", [1, 2, 3]));
        var good = new Blobs.Release(BlobId.New());
        toClient.Tell(good);

        Assert.Equal(good, client.ExpectMsg<Blobs.Release>(TimeSpan.FromSeconds(5)));
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var logged = logs.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => ((LogEvent)m).ToString(), 20);
        foreach (var manifest in new[] { "blob-chunk", "blob-offer", "no-such-message" })
            Assert.Contains(logged, line => line.Contains($"manifest [{manifest}]") && line.Contains("association remains live"));
        unexpected.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Five_hundred_mutated_payloads_leave_the_association_up_and_a_valid_message_still_arrives()
    {
        var unexpected = AssociationWatch(SystemB);
        var client = CreateTestProbe(SystemB, "client");
        var toClient = FromA(client.Ref);
        var samples = Tests.Serialization.WireSamples.All(client.Ref).Select(m => (Manifest: Manifest(m), Bytes: Write(m))).ToArray();
        var manifests = samples.Select(s => s.Manifest).Distinct().ToArray();
        var kinds = Enum.GetValues<Tests.Serialization.WireMutationKind>();

        for (var k = 0; k < 500; k++)
        {
            var (manifest, bytes) = samples[k % samples.Length];
            var (spoiled, sent) = Tests.Serialization.WireMutation.Apply(kinds[k % kinds.Length], bytes, manifest, manifests, seed: 9100 + k);
            toClient.Tell(new Garbled(sent, spoiled));
        }
        var good = new Blobs.Release(BlobId.New());
        toClient.Tell(good);

        // A mutation may still be a well-formed message; those arrive too, and are skipped here.
        client.FishForMessage(m => m is Blobs.Release r && r == good, TimeSpan.FromSeconds(20));
        unexpected.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_message_that_cannot_be_written_is_dropped_by_the_sender_and_the_association_stays_up()
    {
        var unexpected = AssociationWatch(Sys);
        var client = CreateTestProbe(SystemB, "client");
        var toClient = FromA(client.Ref);

        toClient.Tell(new Blobs.Unavailable(BlobId.New(), "a lone \ud800 surrogate is not text"));
        var good = new Blobs.Release(BlobId.New());
        toClient.Tell(good);

        Assert.Equal(good, client.ExpectMsg<Blobs.Release>(TimeSpan.FromSeconds(5)));
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        unexpected.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private string Manifest(object message) =>
        Akka.Serialization.Serialization.ManifestFor(Sys.Serialization.FindSerializerFor(message), message);

    private byte[] Write(object message) => Sys.Serialization.FindSerializerFor(message).ToBinary(message);
}
