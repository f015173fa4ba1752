using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace QSI.Protocol.Transport;

/// <summary>Little-endian writer over a growable buffer, for the wire forms of light.</summary>
internal sealed class WireWriter(int capacity)
{
    private byte[] _buffer = new byte[capacity];
    private int _length;

    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);
    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);
    public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);
    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    public void Floats(ReadOnlySpan<float> values)
    {
        var target = Take(values.Length * sizeof(float));
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(target);
        else
            for (var k = 0; k < values.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(target[(4 * k)..], values[k]);
    }

    public void Doubles(ReadOnlySpan<double> values)
    {
        foreach (var v in values) Double(v);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
