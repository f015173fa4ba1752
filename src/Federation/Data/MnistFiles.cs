namespace QSI.Federation.Data;

/// <summary>
/// The four files of the original MNIST distribution, by their standard names, and the
/// checks that make a pair of IDX files MNIST rather than just labelled images.
/// </summary>
public static class MnistFiles
{
    /// <summary>Training images: 60,000 x 28 x 28.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>Training labels: 60,000 digits.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>Test images: 10,000 x 28 x 28.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>Test labels: 10,000 digits.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Height and width of every MNIST image.</summary>
    public const int ImageSize = 28;

    /// <summary>Number of classes; labels are 0 to <c>Classes - 1</c>.</summary>
    public const int Classes = 10;

    /// <summary>The four file names, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>True if <paramref name="directory"/> holds all four files.</summary>
    internal static bool AllPresentIn(string directory) =>
        All.All(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>Reads and checks the four files in <paramref name="directory"/>.</summary>
    /// <exception cref="DatasetException">A file is missing or is not valid MNIST.</exception>
    internal static MnistDataset Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetException($"dataset directory {Path.GetFullPath(directory)}: not found");
        }

        foreach (var name in All)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw DatasetException.ForFile(path, "not found" + CompressedHint(path));
            }
        }

        var train = LoadPair(directory, TrainImages, TrainLabels);
        var test = LoadPair(directory, TestImages, TestLabels);
        return new MnistDataset(train, test);
    }

    private static LabeledImages LoadPair(string directory, string imagesName, string labelsName)
    {
        var imagesPath = Path.Combine(directory, imagesName);
        var labelsPath = Path.Combine(directory, labelsName);
        var set = IdxReader.Read(imagesPath, labelsPath);
        if (set.Rows != ImageSize || set.Columns != ImageSize)
        {
            throw DatasetException.ForFile(imagesPath,
                $"images are {set.Rows}x{set.Columns}; MNIST images are {ImageSize}x{ImageSize}");
        }

        var labels = set.Labels.Span;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= Classes)
            {
                throw DatasetException.ForFile(labelsPath, $"label {labels[i]} at index {i} is outside 0..{Classes - 1}");
            }
        }

        return set;
    }

    // The files are usually downloaded gzip-compressed; point at the fix when that is the case.
    private static string CompressedHint(string path) =>
        File.Exists(path + ".gz") ? $" (found {Path.GetFileName(path)}.gz; decompress it first)" : "";
}
