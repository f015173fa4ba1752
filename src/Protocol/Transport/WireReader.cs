using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace QSI.Protocol.Transport;

/// <summary>Little-endian reader that turns every overrun into a one-line <see cref="WireFormatException"/>.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> payload, string what)
{
    private ReadOnlySpan<byte> _rest = payload;

    public int Remaining => _rest.Length;

    public void Magic(ReadOnlySpan<byte> expected)
    {
        var actual = Take(expected.Length);
        if (!actual.SequenceEqual(expected))
            throw new WireFormatException($"{what}: bad magic {Convert.ToHexString(actual)}; expected {Convert.ToHexString(expected)}");
    }

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>A count that must lie in [min, max].</summary>
    public int Count(string name, int min, int max)
    {
        var value = Int32();
        if (value < min || value > max) throw new WireFormatException($"{what}: {name} {value} is out of range [{min}, {max}]");
        return value;
    }

    /// <summary>A finite number that must satisfy <paramref name="valid"/>.</summary>
    public double Real(string name, Func<double, bool> valid)
    {
        var value = Double();
        if (!double.IsFinite(value) || !valid(value)) throw new WireFormatException($"{what}: {name} {value} is not valid");
        return value;
    }

    public float[] Floats(int count)
    {
        var bytes = Take(checked(count * sizeof(float)));
        var values = new float[count];
        if (BitConverter.IsLittleEndian)
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else
            for (var k = 0; k < count; k++) values[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * k)..]);
        return values;
    }

    public double[] Doubles(int count)
    {
        var values = new double[count];
        for (var k = 0; k < count; k++) values[k] = Double();
        return values;
    }

    public void End()
    {
        if (_rest.Length != 0) throw new WireFormatException($"{what}: {_rest.Length} bytes after the end");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
            throw new WireFormatException($"{what}: truncated: needs {count} more bytes, {_rest.Length} remain");
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
