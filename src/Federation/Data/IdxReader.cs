using System.Buffers.Binary;

namespace QSI.Federation.Data;

/// <summary>
/// Reads labelled images from the IDX format of the original MNIST distribution: a
/// big-endian header (magic number, then one 32-bit size per dimension) followed by
/// unsigned bytes. Images are 3-D (count x rows x columns), labels 1-D (count).
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension.</summary>
    public const int LabelsMagic = 0x00000801;

    private const int MagicLength = 4;
    private const int DimensionLength = 4;

    /// <summary>
    /// Reads an images file and its labels file. Any image size is accepted; the counts of
    /// the two files must agree.
    /// </summary>
    /// <exception cref="DatasetException">
    /// A file is missing or unreadable, has the wrong magic number, is shorter or longer
    /// than its header says, or the two files hold different numbers of items.
    /// </exception>
    public static LabeledImages Read(string imagesPath, string labelsPath)
    {
        var (imageDimensions, pixels) = ReadFile(imagesPath, ImagesMagic, rank: 3, "images");
        var (labelDimensions, labels) = ReadFile(labelsPath, LabelsMagic, rank: 1, "labels");
        if (imageDimensions[0] != labelDimensions[0])
        {
            throw new DatasetException(
                $"dataset files {Path.GetFullPath(imagesPath)} and {Path.GetFullPath(labelsPath)} disagree: " +
                $"{imageDimensions[0]} images but {labelDimensions[0]} labels");
        }

        return new LabeledImages(imageDimensions[1], imageDimensions[2], pixels, labels);
    }

    private static (int[] Dimensions, byte[] Body) ReadFile(string path, int magic, int rank, string itemName)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadStream(path, stream, magic, rank, itemName);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DatasetException.ForFile(path, "not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.ForFile(path, $"cannot be read ({e.Message})", e);
        }
    }

    private static (int[] Dimensions, byte[] Body) ReadStream(
        string path, FileStream stream, int magic, int rank, string itemName)
    {
        long fileLength = stream.Length;
        int headerLength = MagicLength + (rank * DimensionLength);
        if (fileLength < MagicLength)
        {
            throw DatasetException.ForFile(path, $"truncated header: {fileLength} bytes, an IDX header needs {headerLength}");
        }

        Span<byte> header = stackalloc byte[headerLength];
        stream.ReadExactly(header[..MagicLength]);
        int actualMagic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (actualMagic != magic)
        {
            throw DatasetException.ForFile(path, $"bad IDX magic 0x{actualMagic:X8}; expected 0x{magic:X8}{GzipHint(header)}");
        }

        if (fileLength < headerLength)
        {
            throw DatasetException.ForFile(path, $"truncated header: {fileLength} bytes, an IDX header needs {headerLength}");
        }

        stream.ReadExactly(header[MagicLength..]);
        var dimensions = new int[rank];
        long bodyLength = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[(MagicLength + (i * DimensionLength))..]);
            // Sizes are unsigned in the format, but no real file comes near 2^31 per
            // dimension; treating one as such means the header is garbage.
            if (size > int.MaxValue)
            {
                throw DatasetException.ForFile(path, $"dimension {i} of the header is {size}, which is not a plausible size");
            }

            dimensions[i] = (int)size;
            bodyLength *= size;
            if (bodyLength > Array.MaxLength)
            {
                throw DatasetException.ForFile(path, $"header describes more than {Array.MaxLength} bytes of data");
            }
        }

        long expectedLength = headerLength + bodyLength;
        if (fileLength < expectedLength)
        {
            throw DatasetException.ForFile(path,
                $"truncated: header describes {Describe(dimensions, itemName)} ({expectedLength} bytes) but the file has {fileLength} bytes");
        }

        // Extra bytes mean the header and the data disagree, so neither can be trusted.
        if (fileLength > expectedLength)
        {
            throw DatasetException.ForFile(path,
                $"{fileLength - expectedLength} bytes after the {Describe(dimensions, itemName)} the header describes");
        }

        var body = GC.AllocateUninitializedArray<byte>((int)bodyLength);
        stream.ReadExactly(body);
        return (dimensions, body);
    }

    private static string Describe(int[] dimensions, string itemName) =>
        dimensions.Length == 3
            ? $"{dimensions[0]} {itemName} of {dimensions[1]}x{dimensions[2]}"
            : $"{dimensions[0]} {itemName}";

    // The files are commonly downloaded as .gz; saying so saves a trip to a hex dump.
    private static string GzipHint(ReadOnlySpan<byte> magic) =>
        magic[0] == 0x1F && magic[1] == 0x8B ? " (the file looks gzip-compressed; decompress it first)" : "";
}
