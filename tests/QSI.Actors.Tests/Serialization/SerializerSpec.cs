using Akka.Serialization;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Serialization;

/// <summary>A test kit whose system carries wire messages with <see cref="QsiSerializer"/>.</summary>
public abstract class SerializerSpec() : Akka.TestKit.Xunit2.TestKit(QsiSerialization.Config)
{
    /// <summary>The serializer the system picks for <paramref name="message"/>.</summary>
    protected Serializer SerializerFor(object message) => Sys.Serialization.FindSerializerFor(message);

    /// <summary>The message's manifest and bytes, as Akka.Remote would send them.</summary>
    protected (string Manifest, byte[] Bytes) Write(object message)
    {
        var serializer = SerializerFor(message);
        return (Akka.Serialization.Serialization.ManifestFor(serializer, message), serializer.ToBinary(message));
    }

    /// <summary>The message <paramref name="bytes"/> carry, read as Akka.Remote would.</summary>
    protected object Read(byte[] bytes, string manifest) => Sys.Serialization.Deserialize(bytes, QsiSerializer.Id, manifest);

    /// <summary><paramref name="message"/> after a trip through bytes.</summary>
    protected object RoundTrip(object message)
    {
        var (manifest, bytes) = Write(message);
        return Read(bytes, manifest);
    }
}
