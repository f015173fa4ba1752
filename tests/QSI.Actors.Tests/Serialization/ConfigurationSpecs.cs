using System.Runtime.Serialization;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Serialization;

public sealed class ConfigurationSpecs : SerializerSpec
{
    [Fact]
    public void Every_wire_message_type_has_exactly_one_codec_and_a_sample()
    {
        var wireTypes = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .OrderBy(t => t.FullName).ToArray();
        Assert.Equal(wireTypes, WireCodecs.All.Select(c => c.Type).OrderBy(t => t.FullName));
        Assert.Equal(WireCodecs.All.Count, WireCodecs.All.Select(c => c.Manifest).Distinct().Count());
        Assert.Equal(wireTypes, WireSamples.All(TestActor).Select(m => m.GetType()).Distinct().OrderBy(t => t.FullName));
    }

    [Fact]
    public void The_identifier_is_outside_the_range_akka_reserves_and_resolves_to_our_serializer()
    {
        Assert.InRange(QsiSerializer.Id, 101, 1000);
        var release = new Blobs.Release(BlobId.New());
        Assert.Equal(QsiSerializer.Id, SerializerFor(release).Identifier);
        Assert.Equal(release, Sys.Serialization.Deserialize(SerializerFor(release).ToBinary(release), QsiSerializer.Id, "blob-release"));
    }

    [Fact]
    public void An_unbound_type_is_refused_instead_of_falling_back_to_json()
    {
        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.FindSerializerForType(typeof(UnboundMessage)));
        Assert.Contains("allow-unregistered-types", e.Message);
    }

    [Fact]
    public void Without_our_configuration_akka_would_have_used_json()
    {
        var plain = Akka.Actor.ActorSystem.Create("plain");
        try
        {
            Assert.IsType<Akka.Serialization.NewtonSoftJsonSerializer>(plain.Serialization.FindSerializerForType(typeof(UnboundMessage)));
            Assert.IsType<Akka.Serialization.NewtonSoftJsonSerializer>(plain.Serialization.FindSerializerForType(typeof(Blobs.Pull)));
        }
        finally
        {
            Shutdown(plain);
        }
    }
}
