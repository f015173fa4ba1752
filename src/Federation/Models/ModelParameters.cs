using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace QSI.Federation.Models;

/// <summary>
/// A network's parameters as one flat vector, in the order of <see cref="Mlp.Parameters"/>:
/// the form in which updates travel and strategies aggregate.
/// </summary>
public static class ModelParameters
{
    /// <summary>A copy of every parameter of <paramref name="model"/>.</summary>
    public static float[] Flatten(Mlp model)
    {
        var flat = new float[model.ParameterCount];
        var offset = 0;
        foreach (var array in model.Parameters)
        {
            array.CopyTo(flat, offset);
            offset += array.Length;
        }
        return flat;
    }

    /// <summary>Overwrites the parameters of <paramref name="model"/> with <paramref name="flat"/>.</summary>
    public static void Assign(Mlp model, ReadOnlySpan<float> flat)
    {
        if (flat.Length != model.ParameterCount)
            throw new ArgumentException($"{flat.Length} values for a model of {model.ParameterCount} parameters", nameof(flat));
        var offset = 0;
        foreach (var array in model.Parameters)
        {
            flat.Slice(offset, array.Length).CopyTo(array);
            offset += array.Length;
        }
    }

    private static ReadOnlySpan<byte> Magic => "QSIP"u8;
    private const int Version = 1;
    private const int HeaderSize = 12;

    /// <summary>
    /// The wire form of a flat parameter vector (an update, or the plain baseline's model):
    /// "QSIP", version 1, the count, then float32 values, all little-endian.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<float> flat)
    {
        var bytes = new byte[HeaderSize + 4L * flat.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), flat.Length);
        var values = bytes.AsSpan(HeaderSize);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(flat).CopyTo(values);
        else for (var k = 0; k < flat.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(values[(4 * k)..], flat[k]);
        return bytes;
    }

    /// <summary>Reads what <see cref="Encode"/> wrote, which must hold <paramref name="count"/> finite values.</summary>
    /// <exception cref="FormatException">The bytes are not such a vector, in one line.</exception>
    public static float[] Decode(ReadOnlySpan<byte> bytes, long count)
    {
        if (bytes.Length < HeaderSize || !bytes[..4].SequenceEqual(Magic))
            throw new FormatException("parameter payload: bad magic; expected QSIP");
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != Version) throw new FormatException($"parameter payload: format version {version} is not supported; expected {Version}");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (length != count) throw new FormatException($"parameter payload: {length} values; the model has {count}");
        if (bytes.Length != HeaderSize + 4L * length) throw new FormatException($"parameter payload: {bytes.Length} bytes; {length} values take {HeaderSize + 4L * length}");
        var flat = new float[length];
        var values = bytes[HeaderSize..];
        for (var k = 0; k < length; k++)
        {
            flat[k] = BinaryPrimitives.ReadSingleLittleEndian(values[(4 * k)..]);
            if (!float.IsFinite(flat[k])) throw new FormatException($"parameter payload: value {k} is {flat[k]}, not a finite number");
        }
        return flat;
    }
}
