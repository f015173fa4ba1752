using QSI.Actors.Messages;

namespace QSI.Actors.Serialization;

/// <summary>Reads one message's fields from <paramref name="reader"/>.</summary>
internal delegate T ReadFields<out T>(ref MessageReader reader);

/// <summary>
/// One row of the serializer's table: a message type, its stable manifest, and how its
/// fields are written and read. The manifest, not the CLR type name, identifies the message
/// on the wire, so types can be renamed or moved without breaking running peers.
/// </summary>
internal sealed class WireCodec
{
    private WireCodec(Type type, string manifest, Action<MessageWriter, object> write, ReadFields<object> read, Func<object, int> sizeHint)
    {
        Type = type;
        Manifest = manifest;
        Write = write;
        Read = read;
        SizeHint = sizeHint;
    }

    /// <summary>The message type.</summary>
    public Type Type { get; }

    /// <summary>The short, stable name of the type on the wire (e.g. "blob-offer").</summary>
    public string Manifest { get; }

    /// <summary>Writes a message's fields.</summary>
    public Action<MessageWriter, object> Write { get; }

    /// <summary>Reads a message's fields; throws a one-line SerializationException when they are malformed.</summary>
    public ReadFields<object> Read { get; }

    /// <summary>About how many bytes a message's fields take, so large ones are written without regrowing the buffer.</summary>
    public Func<object, int> SizeHint { get; }

    /// <summary>The codec of <typeparamref name="T"/>; <paramref name="sizeHint"/> defaults to 64 bytes.</summary>
    public static WireCodec For<T>(string manifest, Action<MessageWriter, T> write, ReadFields<T> read, Func<T, int>? sizeHint = null)
        where T : class, IWireMessage =>
        new(typeof(T), manifest, (writer, message) => write(writer, (T)message), read,
            sizeHint is null ? _ => 64 : message => sizeHint((T)message));
}

/// <summary>The table of every wire message's codec, one conversation at a time.</summary>
internal static class WireCodecs
{
    /// <summary>Every codec; add a conversation's codecs here.</summary>
    public static readonly IReadOnlyList<WireCodec> All = [.. BlobCodecs.All, .. ServingCodecs.All, .. TrainingCodecs.All];

    /// <summary>Codecs by message type.</summary>
    public static readonly IReadOnlyDictionary<Type, WireCodec> ByType = All.ToDictionary(c => c.Type);

    /// <summary>Codecs by manifest.</summary>
    public static readonly IReadOnlyDictionary<string, WireCodec> ByManifest = All.ToDictionary(c => c.Manifest, StringComparer.Ordinal);
}
