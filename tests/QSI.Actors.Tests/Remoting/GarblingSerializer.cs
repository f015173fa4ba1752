using Akka.Actor;
using Akka.Serialization;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Remoting;

/// <summary>A message that goes on the wire as <paramref name="Bytes"/> under <paramref name="Manifest"/>, whatever they hold.</summary>
public sealed record Garbled(string Manifest, byte[] Bytes) : IWireMessage;

/// <summary>
/// Stands in for <see cref="QsiSerializer"/> on a sending system, under the same identifier:
/// it writes <see cref="Garbled"/> messages as given and everything else as the real serializer
/// does, so the receiving system's <see cref="QsiSerializer"/> gets malformed payloads.
/// </summary>
public sealed class GarblingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly QsiSerializer _real = new(system);

    /// <inheritdoc />
    public override int Identifier => QsiSerializer.Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o is Garbled g ? g.Manifest : _real.Manifest(o);

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj is Garbled g ? g.Bytes : _real.ToBinary(obj);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => _real.FromBinary(bytes, manifest);
}
