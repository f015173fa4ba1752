using System.Buffers.Binary;

namespace QSI.Federation.Tests.Data;

/// <summary>Writes IDX files (big-endian header, then bytes) so tests can build any valid or broken input.</summary>
internal static class IdxWriter
{
    public static byte[] Images(int count, int rows, int columns, byte[] pixels) =>
        Build(0x00000803, [count, rows, columns], pixels);

    public static byte[] Labels(byte[] labels) =>
        Build(0x00000801, [labels.Length], labels);

    public static byte[] Build(int magic, int[] dimensions, byte[] body)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        body.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }

    /// <summary>Pixels whose value identifies image and position: (image * 31 + position) mod 256.</summary>
    public static byte[] PatternPixels(int count, int pixelsPerImage)
    {
        var pixels = new byte[count * pixelsPerImage];
        for (int image = 0; image < count; image++)
        {
            for (int p = 0; p < pixelsPerImage; p++)
            {
                pixels[(image * pixelsPerImage) + p] = (byte)(((image * 31) + p) % 256);
            }
        }

        return pixels;
    }

    public static byte[] PatternLabels(int count) =>
        Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    public static void WritePair(string imagesPath, string labelsPath, int count, int rows, int columns)
    {
        File.WriteAllBytes(imagesPath, Images(count, rows, columns, PatternPixels(count, rows * columns)));
        File.WriteAllBytes(labelsPath, Labels(PatternLabels(count)));
    }
}
