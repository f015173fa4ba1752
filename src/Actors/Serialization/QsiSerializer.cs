using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using QSI.Actors.Messages;

namespace QSI.Actors.Serialization;

/// <summary>
/// The one serializer of every <see cref="IWireMessage"/>: compact little-endian binary,
/// a short stable manifest per message type, and strict reading. A malformed or truncated
/// payload, or an unknown manifest, throws a one-line <see cref="SerializationException"/>;
/// Akka.Remote then logs and drops that message and keeps the association up.
/// </summary>
/// <remarks>Bound by <see cref="QsiSerialization.Hocon"/>; the message codecs live in <c>WireCodecs</c>.</remarks>
public sealed class QsiSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>
    /// The serializer's identifier on the wire. Akka.NET reserves 1-100 for its own serializers
    /// (it uses 1-36, Hyperion -5); 471 is ours.
    /// </summary>
    public const int Id = 471;

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => CodecOf(o).Manifest;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var codec = CodecOf(obj);
        try
        {
            var writer = new MessageWriter(codec.SizeHint(obj));
            codec.Write(writer, obj);
            return writer.ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Akka.Remote drops a message whose serialization throws SerializationException and keeps the association.
            throw new SerializationException($"{codec.Manifest}: cannot write {obj.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!WireCodecs.ByManifest.TryGetValue(manifest, out var codec))
            throw new SerializationException($"QSI serializer: unknown manifest '{MessageReader.OneLine(manifest)}'");
        try
        {
            var reader = new MessageReader(bytes, manifest, system);
            var message = codec.Read(ref reader);
            reader.End();
            return message;
        }
        catch (Exception e) when (e is not SerializationException and not OutOfMemoryException)
        {
            // A codec's own check (a constructor's argument check, say) is still a malformed payload.
            throw new SerializationException($"{manifest}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static WireCodec CodecOf(object message) =>
        WireCodecs.ByType.TryGetValue(message.GetType(), out var codec)
            ? codec
            : throw new SerializationException($"QSI serializer: {message.GetType().FullName} has no wire codec");
}
