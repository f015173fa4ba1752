using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _images;
    private readonly string _labels;

    public IdxReaderTests()
    {
        _images = _dir.File("images-idx3-ubyte");
        _labels = _dir.File("labels-idx1-ubyte");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reads_shape_pixels_and_labels()
    {
        IdxWriter.WritePair(_images, _labels, count: 3, rows: 28, columns: 28);

        var set = IdxReader.Read(_images, _labels);

        Assert.Equal(3, set.Count);
        Assert.Equal(28, set.Rows);
        Assert.Equal(28, set.Columns);
        Assert.Equal(IdxWriter.PatternPixels(3, 28 * 28), set.Pixels.ToArray());
        Assert.Equal(new byte[] { 0, 1, 2 }, set.Labels.ToArray());
    }

    [Fact]
    public void Accepts_any_image_size()
    {
        IdxWriter.WritePair(_images, _labels, count: 2, rows: 3, columns: 5);

        var set = IdxReader.Read(_images, _labels);

        Assert.Equal((3, 5, 15), (set.Rows, set.Columns, set.PixelsPerImage));
        Assert.Equal(30, set.Pixels.Length);
    }

    [Fact]
    public void Reads_empty_sets()
    {
        IdxWriter.WritePair(_images, _labels, count: 0, rows: 28, columns: 28);

        Assert.Equal(0, IdxReader.Read(_images, _labels).Count);
    }

    [Fact]
    public void Missing_images_file_is_named()
    {
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_images}: not found", error.Message);
    }

    [Fact]
    public void Missing_labels_file_is_named()
    {
        File.WriteAllBytes(_images, IdxWriter.Images(1, 1, 1, [7]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_labels}: not found", error.Message);
    }

    [Fact]
    public void Wrong_magic_names_actual_and_expected()
    {
        IdxWriter.WritePair(_images, _labels, count: 1, rows: 2, columns: 2);

        // The two files swapped: a common slip when naming them by hand.
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_labels, _images));

        Assert.Equal($"dataset file {_labels}: bad IDX magic 0x00000801; expected 0x00000803", error.Message);
    }

    [Fact]
    public void Zeroed_file_reports_bad_magic()
    {
        File.WriteAllBytes(_images, new byte[64]);
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_images}: bad IDX magic 0x00000000; expected 0x00000803", error.Message);
    }

    [Fact]
    public void Wrong_magic_in_labels_file()
    {
        IdxWriter.WritePair(_images, _labels, count: 1, rows: 2, columns: 2);
        File.WriteAllBytes(_labels, IdxWriter.Build(0x00000901, [1], [1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_labels}: bad IDX magic 0x00000901; expected 0x00000801", error.Message);
    }

    [Fact]
    public void Gzip_compressed_file_gets_a_hint()
    {
        File.WriteAllBytes(_images, [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.StartsWith($"dataset file {_images}: bad IDX magic 0x1F8B0800; expected 0x00000803", error.Message);
        Assert.Contains("gzip-compressed", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    public void Truncated_header_is_reported(int length)
    {
        File.WriteAllBytes(_images, IdxWriter.Images(1, 2, 2, [1, 2, 3, 4])[..length]);
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_images}: truncated header: {length} bytes, an IDX header needs 16", error.Message);
    }

    [Fact]
    public void Truncated_image_data_is_reported()
    {
        var full = IdxWriter.Images(3, 2, 2, IdxWriter.PatternPixels(3, 4));
        File.WriteAllBytes(_images, full[..^1]);
        File.WriteAllBytes(_labels, IdxWriter.Labels([1, 2, 3]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal(
            $"dataset file {_images}: truncated: header describes 3 images of 2x2 (28 bytes) but the file has 27 bytes",
            error.Message);
    }

    [Fact]
    public void Truncated_label_data_is_reported()
    {
        File.WriteAllBytes(_images, IdxWriter.Images(3, 1, 1, [1, 2, 3]));
        File.WriteAllBytes(_labels, IdxWriter.Labels([1, 2, 3])[..^2]);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal(
            $"dataset file {_labels}: truncated: header describes 3 labels (11 bytes) but the file has 9 bytes",
            error.Message);
    }

    [Fact]
    public void Bytes_beyond_the_header_size_are_reported()
    {
        File.WriteAllBytes(_images, [.. IdxWriter.Images(1, 1, 2, [1, 2]), 9, 9]);
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_images}: 2 bytes after the 1 images of 1x2 the header describes", error.Message);
    }

    [Fact]
    public void Implausible_dimension_is_reported()
    {
        File.WriteAllBytes(_images, IdxWriter.Build(0x00000803, [1, -1, 1], []));
        File.WriteAllBytes(_labels, IdxWriter.Labels([1]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset file {_images}: dimension 1 of the header is 4294967295, which is not a plausible size", error.Message);
    }

    [Fact]
    public void Count_mismatch_names_both_files()
    {
        File.WriteAllBytes(_images, IdxWriter.Images(3, 1, 1, [1, 2, 3]));
        File.WriteAllBytes(_labels, IdxWriter.Labels([1, 2]));

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(_images, _labels));

        Assert.Equal($"dataset files {_images} and {_labels} disagree: 3 images but 2 labels", error.Message);
    }
}
