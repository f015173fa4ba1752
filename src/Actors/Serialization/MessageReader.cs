using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;

namespace QSI.Actors.Serialization;

/// <summary>
/// Reads the fields of one wire message, the mirror of <see cref="MessageWriter"/>. Every
/// overrun, impossible length or invalid value throws a one-line <see cref="SerializationException"/>
/// naming the manifest, and no length prefix can make it allocate more than the payload holds.
/// </summary>
internal ref struct MessageReader
{
    /// <summary>Longest actor path on the wire, in UTF-8 bytes.</summary>
    public const int MaxActorPathBytes = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ExtendedActorSystem _system;
    private readonly string _manifest;
    private readonly byte[] _payload;
    private ReadOnlySpan<byte> _rest;

    /// <summary>A reader of <paramref name="payload"/>, a message with manifest <paramref name="manifest"/>.</summary>
    public MessageReader(byte[] payload, string manifest, ExtendedActorSystem system)
    {
        _payload = payload;
        _rest = payload;
        _manifest = manifest;
        _system = system;
    }

    /// <summary>Reads a 32-bit integer.</summary>
    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit integer.</summary>
    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads a GUID.</summary>
    public Guid Guid() => new(Take(16));

    /// <summary>Reads a 32-bit integer that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int32(string name, int min, int max)
    {
        var value = Int32();
        return value >= min && value <= max ? value : throw Malformed($"{name} {value} is out of range [{min}, {max}]");
    }

    /// <summary>
    /// Reads the count of a list whose items take at least <paramref name="bytesEach"/> bytes each: it must lie in
    /// [<paramref name="min"/>, <paramref name="max"/>] and fit in what remains of the payload, so a count can never
    /// make the reader allocate more than the bytes that arrived could fill.
    /// </summary>
    public int Count(string name, int min, int max, int bytesEach)
    {
        var count = Int32(name, min, max);
        return (long)count * bytesEach <= _rest.Length
            ? count
            : throw Malformed($"{name} {count} needs at least {(long)count * bytesEach} more bytes, {_rest.Length} remain");
    }

    /// <summary>Reads a 64-bit float that must be finite.</summary>
    public double Double(string name)
    {
        var value = BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
        return double.IsFinite(value) ? value : throw Malformed($"{name} {value} is not a finite number");
    }

    /// <summary>Reads a flag written as 0 or 1.</summary>
    public bool Boolean(string name) => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var other => throw Malformed($"{name} byte {other} is neither 0 nor 1"),
    };

    /// <summary>Reads a 64-bit integer that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Int64(string name, long min, long max)
    {
        var value = Int64();
        return value >= min && value <= max ? value : throw Malformed($"{name} {value} is out of range [{min}, {max}]");
    }

    /// <summary>Reads a UTF-8 string of at most <paramref name="maxBytes"/> bytes.</summary>
    public string String(string name, int maxBytes)
    {
        var bytes = Take(Length(name, maxBytes));
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"{name} is not valid UTF-8");
        }
    }

    /// <summary>
    /// Reads a byte array of at most <paramref name="maxBytes"/> bytes as a view of the payload,
    /// not a copy: a chunk is 64 KiB, and a copy here costs throughput. The payload array is
    /// the message's own: Akka gives every message it deserializes a new array.
    /// </summary>
    public ReadOnlyMemory<byte> Bytes(string name, int maxBytes)
    {
        var length = Length(name, maxBytes);
        var start = _payload.Length - _rest.Length;
        Take(length);
        return _payload.AsMemory(start, length);
    }

    /// <summary>Reads an actor reference and resolves it in this system (remote paths become remote references).</summary>
    public IActorRef ActorRef(string name)
    {
        var path = String(name, MaxActorPathBytes);
        if (!ActorPath.TryParse(path, out _)) throw Malformed($"{name} '{OneLine(path)}' is not an actor path");
        return _system.Provider.ResolveActorRef(path);
    }

    /// <summary>Checks that nothing follows the last field.</summary>
    public void End()
    {
        if (_rest.Length != 0) throw Malformed($"{_rest.Length} bytes after the end");
    }

    /// <summary>The exception for a payload that is not a well-formed message.</summary>
    public SerializationException Malformed(string problem) => new($"{OneLine(_manifest)}: {problem}");

    /// <summary><paramref name="text"/> cut to 64 characters with control characters replaced, fit for a one-line message.</summary>
    public static string OneLine(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "..." : text;
        return string.Create(cut.Length, cut, (span, s) =>
        {
            for (var k = 0; k < s.Length; k++) span[k] = char.IsControl(s[k]) ? '?' : s[k];
        });
    }

    private int Length(string name, int max)
    {
        var length = Int32();
        if (length < 0 || length > max) throw Malformed($"{name} length {length} is out of range [0, {max}]");
        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length) throw Malformed($"truncated: needs {count} more bytes, {_rest.Length} remain");
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
