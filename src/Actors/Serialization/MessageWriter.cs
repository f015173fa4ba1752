using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;

namespace QSI.Actors.Serialization;

/// <summary>
/// Writes the fields of one wire message: little-endian numbers, length-prefixed UTF-8
/// strings and byte arrays, actor references as their serialized paths.
/// </summary>
internal sealed class MessageWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    /// <summary>A writer whose buffer starts at <paramref name="capacity"/> bytes.</summary>
    public MessageWriter(int capacity = 64) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>Writes a 32-bit integer.</summary>
    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    /// <summary>Writes a 64-bit float.</summary>
    public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);

    /// <summary>Writes a flag as one byte, 0 or 1.</summary>
    public void Boolean(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Writes a GUID as its 16 little-endian bytes.</summary>
    public void Guid(Guid value)
    {
        if (!value.TryWriteBytes(Take(16))) throw new InvalidOperationException("a GUID needs 16 bytes");
    }

    /// <summary>
    /// Writes a string as its UTF-8 length and bytes; refuses what the reader would refuse:
    /// more than <paramref name="maxBytes"/> bytes, or text that is not valid UTF-16.
    /// </summary>
    public void String(string value, string name, int maxBytes)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new SerializationException($"{name} is not well-formed text");
        }
        Int32(Limited(length, name, maxBytes));
        StrictUtf8.GetBytes(value, Take(length));
    }

    /// <summary>Writes a byte array as its length and bytes; refuses more than <paramref name="maxBytes"/>.</summary>
    public void Bytes(ReadOnlySpan<byte> value, string name, int maxBytes)
    {
        Int32(Limited(value.Length, name, maxBytes));
        value.CopyTo(Take(value.Length));
    }

    /// <summary>
    /// Writes an actor reference as its full path, with this system's remote address when the
    /// message is being serialized for the wire.
    /// </summary>
    public void ActorRef(IActorRef actor) =>
        String(Akka.Serialization.Serialization.SerializedActorPath(actor), "actor path", MessageReader.MaxActorPathBytes);

    /// <summary>
    /// The bytes written so far: the buffer itself when the size hint was exact (a chunk's is),
    /// else a copy of its used part. The writer is not used after this.
    /// </summary>
    public byte[] ToArray() => _length == _buffer.Length ? _buffer : _buffer.AsSpan(0, _length).ToArray();

    private static int Limited(int length, string name, int maxBytes) =>
        length <= maxBytes ? length : throw new SerializationException($"{name} has {length} bytes; at most {maxBytes} go on the wire");

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
