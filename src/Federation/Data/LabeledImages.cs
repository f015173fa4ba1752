namespace QSI.Federation.Data;

/// <summary>
/// A set of same-sized model inputs with one label each: greyscale images stored as the raw bytes
/// of the IDX files, normalized on demand by <see cref="CopyNormalizedInput"/> so the set stays at
/// one byte per pixel in memory; or rows of features already standardised
/// (<see cref="FromFeatures"/>), one row of <see cref="Columns"/> floats per sample.
/// </summary>
public sealed class LabeledImages
{
    // Every pixel value maps to one of 256 floats; computing them once keeps the per-pixel
    // work to a table lookup and guarantees every caller sees bit-identical inputs.
    private static readonly float[] NormalizedByPixel = CreateNormalizationTable();

    /// <summary>Creates a set from row-major pixels (count x rows x columns) and labels.</summary>
    /// <exception cref="ArgumentException">The pixel count does not match labels x rows x columns.</exception>
    public LabeledImages(int rows, int columns, ReadOnlyMemory<byte> pixels, ReadOnlyMemory<byte> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long expected = (long)labels.Length * rows * columns;
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"{labels.Length} images of {rows}x{columns} need {expected} pixels, got {pixels.Length}", nameof(pixels));
        }

        Rows = rows;
        Columns = columns;
        Pixels = pixels;
        Labels = labels;
    }

    private LabeledImages(int features, ReadOnlyMemory<float> inputs, ReadOnlyMemory<byte> labels)
    {
        Rows = 1;
        Columns = features;
        Features = inputs;
        Labels = labels;
        HoldsFeatures = true;
    }

    /// <summary>
    /// A set of real-valued inputs, already normalized the way the model takes them: row-major
    /// <paramref name="features"/>-wide rows, one per label. Its <see cref="Pixels"/> are empty.
    /// </summary>
    /// <exception cref="ArgumentException">The value count does not match labels x features.</exception>
    public static LabeledImages FromFeatures(int features, ReadOnlyMemory<float> inputs, ReadOnlyMemory<byte> labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        long expected = (long)labels.Length * features;
        if (inputs.Length != expected)
        {
            throw new ArgumentException(
                $"{labels.Length} rows of {features} features need {expected} values, got {inputs.Length}", nameof(inputs));
        }

        return new LabeledImages(features, inputs, labels);
    }

    /// <summary>True for a set made by <see cref="FromFeatures"/>, whose inputs are <see cref="Features"/>.</summary>
    public bool HoldsFeatures { get; }

    /// <summary>The normalized inputs of a set made by <see cref="FromFeatures"/>; empty for images.</summary>
    public ReadOnlyMemory<float> Features { get; }

    /// <summary>Number of images (and labels).</summary>
    public int Count => Labels.Length;

    /// <summary>Height of every image in pixels (1 for a set of <see cref="Features"/>).</summary>
    public int Rows { get; }

    /// <summary>Width of every image in pixels (the feature count for a set of <see cref="Features"/>).</summary>
    public int Columns { get; }

    /// <summary>Pixels per image: <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>Raw pixel bytes (0 = background), image after image, each row-major; empty for a set of <see cref="Features"/>.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>One label per image.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>
    /// Normalizes one raw pixel the way the reference experiment does: scale to 0..1, then
    /// subtract the mean 0.5 and divide by the standard deviation 0.5, giving -1..1.
    /// </summary>
    public static float Normalize(byte pixel) => NormalizedByPixel[pixel];

    /// <summary>
    /// Writes the normalized pixels of image <paramref name="index"/> into the first
    /// <see cref="PixelsPerImage"/> elements of <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an image of this set.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than one image.</exception>
    public void CopyNormalizedInput(int index, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int length = PixelsPerImage;
        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} floats, an image needs {length}", nameof(destination));
        }

        if (HoldsFeatures)
        {
            Features.Span.Slice(index * length, length).CopyTo(destination);
            return;
        }

        Normalize(Pixels.Span.Slice(index * length, length), destination);
    }

    /// <summary>All images normalized, row-major: <see cref="Count"/> x <see cref="PixelsPerImage"/>.</summary>
    public float[] NormalizedInputs()
    {
        if (HoldsFeatures)
        {
            return Features.ToArray();
        }

        var inputs = new float[Pixels.Length];
        Normalize(Pixels.Span, inputs);
        return inputs;
    }

    /// <summary>
    /// The first <paramref name="count"/> images, sharing memory with this set. A count
    /// larger than <see cref="Count"/> returns the whole set, so a limit can be applied
    /// without knowing the size of the data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public LabeledImages Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count)
        {
            return this;
        }

        return HoldsFeatures
            ? new LabeledImages(Columns, Features[..(count * PixelsPerImage)], Labels[..count])
            : new LabeledImages(Rows, Columns, Pixels[..(count * PixelsPerImage)], Labels[..count]);
    }

    /// <summary>
    /// The images at <paramref name="indices"/>, in that order, copied into a new set.
    /// An index may appear more than once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is not an image of this set.</exception>
    public LabeledImages Subset(ReadOnlySpan<int> indices)
    {
        int length = PixelsPerImage;
        var labels = new byte[indices.Length];
        var sourceLabels = Labels.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), index, $"index {index} at position {i} is outside 0..{Count - 1}");
            }

            labels[i] = sourceLabels[index];
        }

        return HoldsFeatures
            ? new LabeledImages(Columns, Gather(Features.Span, indices, length), labels)
            : new LabeledImages(Rows, Columns, Gather(Pixels.Span, indices, length), labels);
    }

    private static T[] Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, int length)
    {
        var gathered = new T[indices.Length * length];
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * length, length).CopyTo(gathered.AsSpan(i * length, length));
        }

        return gathered;
    }

    private static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        var table = NormalizedByPixel;
        for (int i = 0; i < pixels.Length; i++)
        {
            destination[i] = table[pixels[i]];
        }
    }

    private static float[] CreateNormalizationTable()
    {
        var table = new float[256];
        for (int p = 0; p < table.Length; p++)
        {
            // Same float32 operations, in the same order, as ToTensor() then
            // Normalize(mean 0.5, std 0.5) in the reference, so inputs match bit for bit.
            table[p] = ((p / 255f) - 0.5f) / 0.5f;
        }

        return table;
    }
}
