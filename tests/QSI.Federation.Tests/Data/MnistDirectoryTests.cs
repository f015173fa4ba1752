using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class MnistDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Loads_the_four_standard_files()
    {
        MnistFixture.WriteTo(_dir.Path);

        var mnist = MnistSource.FromDirectory(_dir.Path);

        Assert.Equal(MnistFixture.TrainCount, mnist.Train.Count);
        Assert.Equal(MnistFixture.TestCount, mnist.Test.Count);
        Assert.Equal((28, 28), (mnist.Train.Rows, mnist.Train.Columns));
        Assert.Equal(IdxWriter.PatternLabels(MnistFixture.TestCount), mnist.Test.Labels.ToArray());
    }

    [Fact]
    public void Load_with_a_directory_reads_that_directory()
    {
        MnistFixture.WriteTo(_dir.Path);

        Assert.Equal(MnistFixture.TrainCount, MnistSource.Load(_dir.Path).Train.Count);
    }

    [Fact]
    public void Missing_directory_is_named()
    {
        var missing = _dir.Sub("nowhere");

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(missing));

        Assert.Equal($"dataset directory {missing}: not found", error.Message);
    }

    [Theory]
    [InlineData(MnistFiles.TrainImages)]
    [InlineData(MnistFiles.TrainLabels)]
    [InlineData(MnistFiles.TestImages)]
    [InlineData(MnistFiles.TestLabels)]
    public void Missing_file_is_named(string name)
    {
        MnistFixture.WriteTo(_dir.Path);
        File.Delete(_dir.File(name));

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.Equal($"dataset file {_dir.File(name)}: not found", error.Message);
    }

    [Fact]
    public void Compressed_file_next_to_a_missing_one_gets_a_hint()
    {
        MnistFixture.WriteTo(_dir.Path);
        File.Move(_dir.File(MnistFiles.TestImages), _dir.File(MnistFiles.TestImages + ".gz"));

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.Equal(
            $"dataset file {_dir.File(MnistFiles.TestImages)}: not found (found t10k-images-idx3-ubyte.gz; decompress it first)",
            error.Message);
    }

    [Fact]
    public void Images_that_are_not_28x28_are_rejected()
    {
        MnistFixture.WriteTo(_dir.Path);
        IdxWriter.WritePair(_dir.File(MnistFiles.TrainImages), _dir.File(MnistFiles.TrainLabels), count: 2, rows: 32, columns: 28);

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.Equal($"dataset file {_dir.File(MnistFiles.TrainImages)}: images are 32x28; MNIST images are 28x28", error.Message);
    }

    [Fact]
    public void Labels_outside_zero_to_nine_are_rejected()
    {
        MnistFixture.WriteTo(_dir.Path);
        File.WriteAllBytes(_dir.File(MnistFiles.TestLabels), IdxWriter.Labels([0, 9, 10, 1]));

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.Equal($"dataset file {_dir.File(MnistFiles.TestLabels)}: label 10 at index 2 is outside 0..9", error.Message);
    }

    [Fact]
    public void Count_mismatch_between_images_and_labels_names_both()
    {
        MnistFixture.WriteTo(_dir.Path);
        File.WriteAllBytes(_dir.File(MnistFiles.TrainLabels), IdxWriter.Labels([1, 2]));

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.Equal(
            $"dataset files {_dir.File(MnistFiles.TrainImages)} and {_dir.File(MnistFiles.TrainLabels)} disagree: 6 images but 2 labels",
            error.Message);
    }

    [Fact]
    public void Every_error_message_is_one_line()
    {
        MnistFixture.WriteTo(_dir.Path);
        File.WriteAllBytes(_dir.File(MnistFiles.TrainImages), [1, 2, 3]);

        var error = Assert.Throws<DatasetException>(() => MnistSource.FromDirectory(_dir.Path));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("a b", new DatasetException("a\nb\r\n").Message);
    }
}
