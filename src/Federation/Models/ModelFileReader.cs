using System.Buffers.Binary;
using System.Security.Cryptography;

namespace QSI.Federation.Models;

/// <summary>
/// Validating parser of the "QSIM" bytes. Every check names what was wrong and where, because a
/// model file is usually copied between machines and the user needs to know whether it is the wrong
/// file, a newer format, or a damaged copy.
/// </summary>
internal sealed class ModelFileReader
{
    private readonly byte[] _bytes;
    private readonly string _path;
    private int _offset;

    private ModelFileReader(byte[] bytes, string path)
    {
        _bytes = bytes;
        _path = path;
    }

    public static Mlp Parse(byte[] bytes, string path) => new ModelFileReader(bytes, path).Parse();

    private Mlp Parse()
    {
        if (_bytes.Length < 4 || !_bytes.AsSpan(0, 4).SequenceEqual(ModelFile.Magic))
        {
            string found = Convert.ToHexString(_bytes.AsSpan(0, Math.Min(4, _bytes.Length)));
            throw Fail($"not a QSI model (magic bytes 5153494D \"QSIM\" expected, found {(found.Length == 0 ? "an empty file" : found)})");
        }

        _offset = 4;
        uint version = ReadUInt32("format version");
        if (version != ModelFile.FormatVersion)
        {
            throw Fail($"unsupported format version {version} (this build reads version {ModelFile.FormatVersion})");
        }

        uint layerCount = ReadUInt32("layer count");
        if (layerCount == 0 || layerCount > ModelFile.MaxLayers)
        {
            throw Fail($"implausible layer count {layerCount} (expected 1..{ModelFile.MaxLayers})");
        }

        var layers = new DenseLayer[layerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = ReadLayer(l, l == 0 ? null : layers[l - 1].Rows);
        }

        int payloadEnd = _offset;
        Require(ModelFile.ChecksumSize, "checksum");
        if (_bytes.Length > payloadEnd + ModelFile.ChecksumSize)
        {
            throw Fail($"{_bytes.Length - payloadEnd - ModelFile.ChecksumSize} unexpected bytes after the checksum");
        }

        byte[] expected = SHA256.HashData(_bytes.AsSpan(0, payloadEnd));
        if (!expected.AsSpan(0, ModelFile.ChecksumSize).SequenceEqual(_bytes.AsSpan(payloadEnd, ModelFile.ChecksumSize)))
        {
            throw Fail("checksum mismatch, the file is damaged");
        }

        return new Mlp(layers);
    }

    private DenseLayer ReadLayer(int index, int? previousRows)
    {
        string what = $"layer {index}";
        uint rows = ReadUInt32($"{what} rows");
        uint columns = ReadUInt32($"{what} columns");
        uint flags = ReadUInt32($"{what} flags");
        if (rows == 0 || columns == 0 || rows > ModelFile.MaxDimension || columns > ModelFile.MaxDimension
            || (long)rows * columns > Array.MaxLength)
        {
            throw Fail($"implausible size {rows}x{columns} of {what}");
        }

        if (previousRows is int expectedColumns && columns != expectedColumns)
        {
            throw Fail($"{what} has {columns} inputs but layer {index - 1} has {expectedColumns} outputs");
        }

        if ((flags & ~ModelFile.HasBiasFlag) != 0)
        {
            throw Fail($"unknown flags 0x{flags:X8} in {what}");
        }

        float[] weights = ReadFloats((int)(rows * columns), $"{what} weights");
        float[]? bias = (flags & ModelFile.HasBiasFlag) != 0 ? ReadFloats((int)rows, $"{what} bias") : null;
        return new DenseLayer((int)rows, (int)columns, weights, bias);
    }

    private uint ReadUInt32(string what)
    {
        Require(4, what);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(_offset));
        _offset += 4;
        return value;
    }

    private float[] ReadFloats(int count, string what)
    {
        Require(4L * count, what);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(_offset + 4 * i));
        }

        _offset += 4 * count;
        return values;
    }

    private void Require(long bytes, string what)
    {
        if (_offset + bytes > _bytes.Length)
        {
            throw Fail($"truncated: {_bytes.Length} bytes end inside the {what} (at offset {_offset}, {bytes} bytes needed)");
        }
    }

    private ModelFileException Fail(string problem) => new(_path, problem);
}
