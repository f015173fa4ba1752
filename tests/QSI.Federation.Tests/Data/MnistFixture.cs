using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

/// <summary>A miniature MNIST: the four standard files with a handful of 28x28 images each.</summary>
internal static class MnistFixture
{
    public const int TrainCount = 6;
    public const int TestCount = 4;

    /// <summary>The four files by name and content.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(int trainCount = TrainCount, int testCount = TestCount)
    {
        const int pixels = 28 * 28;
        return new Dictionary<string, byte[]>
        {
            [MnistFiles.TrainImages] = IdxWriter.Images(trainCount, 28, 28, IdxWriter.PatternPixels(trainCount, pixels)),
            [MnistFiles.TrainLabels] = IdxWriter.Labels(IdxWriter.PatternLabels(trainCount)),
            [MnistFiles.TestImages] = IdxWriter.Images(testCount, 28, 28, IdxWriter.PatternPixels(testCount, pixels)),
            [MnistFiles.TestLabels] = IdxWriter.Labels(IdxWriter.PatternLabels(testCount)),
        };
    }

    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, bytes) in Files())
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }
}
