using System.Buffers.Binary;

namespace QSI.Node.Tests;

/// <summary>
/// A tiny stand-in for MNIST in the four IDX files of the original distribution: 28x28 images of
/// four easy classes (a horizontal bar, a vertical bar, a diagonal, a frame), each jittered and
/// speckled, so a small network learns them in a few dozen steps and nothing touches the network.
/// </summary>
internal static class SyntheticMnist
{
    public const int Classes = 4;
    private const int Size = 28;

    /// <summary>Writes the four files into a new folder "data" of <paramref name="temp"/> and returns its path.</summary>
    public static string WriteUnder(TempDirectory temp, int trainImages, int testImages)
    {
        var directory = temp.Combine("data");
        Directory.CreateDirectory(directory);
        Write(directory, trainImages, testImages);
        return directory;
    }

    /// <summary>Writes the four files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, int trainImages = 240, int testImages = 80, int seed = 7)
    {
        var random = new Random(seed);
        WriteSet(directory, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", trainImages, random);
        WriteSet(directory, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", testImages, random);
    }

    private static void WriteSet(string directory, string imagesName, string labelsName, int count, Random random)
    {
        var pixels = new byte[count * Size * Size];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % Classes);
            Draw(labels[i], pixels.AsSpan(i * Size * Size, Size * Size), random);
        }

        File.WriteAllBytes(Path.Combine(directory, imagesName), Idx(0x00000803, [count, Size, Size], pixels));
        File.WriteAllBytes(Path.Combine(directory, labelsName), Idx(0x00000801, [count], labels));
    }

    private static void Draw(int label, Span<byte> image, Random random)
    {
        int shift = random.Next(-3, 4);
        for (int r = 0; r < Size; r++)
        {
            for (int c = 0; c < Size; c++)
            {
                bool ink = label switch
                {
                    0 => Math.Abs(r - 14 - shift) <= 2 && c is > 4 and < 24,
                    1 => Math.Abs(c - 14 - shift) <= 2 && r is > 4 and < 24,
                    2 => Math.Abs(r - c - shift) <= 2 && r is > 3 and < 25,
                    _ => (r is 6 or 7 or 20 or 21 || c is 6 or 7 or 20 or 21) && r is >= 6 and <= 21 && c is >= 6 and <= 21,
                };
                int value = ink ? 255 - random.Next(60) : random.Next(40);
                image[(r * Size) + c] = (byte)value;
            }
        }
    }

    private static byte[] Idx(int magic, int[] dimensions, byte[] body)
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
}
