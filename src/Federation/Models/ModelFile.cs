using System.Buffers.Binary;
using System.Security.Cryptography;
using QSI.Federation.Storage;

namespace QSI.Federation.Models;

/// <summary>
/// Reads and writes <see cref="Mlp"/> weights in the little-endian "QSIM" format described in
/// docs/MODEL_FORMAT.md: magic, version, layer count, then per layer rows, columns, flags, float32
/// weights row-major and the optional bias, closed by the first 8 bytes of the SHA-256 of everything before.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this code writes and the only one it reads.</summary>
    public const uint FormatVersion = 1;

    /// <summary>Bit 0 of a layer's flags: a bias vector follows the weights.</summary>
    internal const uint HasBiasFlag = 1;

    internal const int HeaderSize = 12;
    internal const int LayerHeaderSize = 12;
    internal const int ChecksumSize = 8;

    // Sanity limits that reject garbage before we try to allocate for it; far above any network we train.
    internal const int MaxLayers = 1024;
    internal const int MaxDimension = 1 << 20;
    internal const long MaxFileBytes = 1L << 31;

    internal static ReadOnlySpan<byte> Magic => "QSIM"u8;

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically: a crash leaves either the
    /// old file or the complete new one, never half a model.
    /// </summary>
    public static void Save(Mlp model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Serialize(model));
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFileException">The file is missing, unreadable, damaged or not a model file.</exception>
    public static Mlp Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ModelFileReader.Parse(ReadAll(path), path);
    }

    /// <summary>The exact bytes <see cref="Save"/> writes for <paramref name="model"/>.</summary>
    public static byte[] Serialize(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long size = HeaderSize + ChecksumSize
            + model.Layers.Sum(layer => LayerHeaderSize + 4L * layer.ParameterCount);
        if (size > MaxFileBytes)
        {
            throw new ArgumentException($"A model of {size} bytes exceeds the format's {MaxFileBytes}-byte limit.", nameof(model));
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)model.Layers.Count);
        int offset = HeaderSize;
        foreach (DenseLayer layer in model.Layers)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)layer.Rows);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 4)..], (uint)layer.Columns);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 8)..], layer.Bias is null ? 0 : HasBiasFlag);
            offset = WriteFloats(span, offset + LayerHeaderSize, layer.Weights);
            if (layer.Bias is not null)
            {
                offset = WriteFloats(span, offset, layer.Bias);
            }
        }

        SHA256.HashData(span[..offset])[..ChecksumSize].CopyTo(span[offset..]);
        return bytes;
    }

    private static int WriteFloats(Span<byte> target, int offset, float[] values)
    {
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(target[offset..], value);
            offset += 4;
        }

        return offset;
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw new ModelFileException(path, $"{stream.Length} bytes is larger than any model this format allows");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"cannot be read ({ex.Message})", ex);
        }
    }
}
