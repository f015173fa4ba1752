using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class LabeledImagesTests
{
    // Two images of 2x2 with labels 7 and 3.
    private static readonly LabeledImages Pair = new(2, 2, new byte[] { 0, 255, 51, 204, 1, 2, 3, 4 }, new byte[] { 7, 3 });

    [Theory]
    [InlineData(0, -1f)]
    [InlineData(255, 1f)]
    [InlineData(51, -0.6f)]
    [InlineData(204, 0.6f)]
    public void Normalize_maps_pixels_to_minus_one_to_one(byte pixel, float expected)
    {
        Assert.Equal(expected, LabeledImages.Normalize(pixel), precision: 6);
    }

    [Fact]
    public void Normalize_matches_the_reference_float_arithmetic_for_every_pixel()
    {
        for (int p = 0; p < 256; p++)
        {
            float reference = ((p / 255f) - 0.5f) / 0.5f;
            Assert.Equal(BitConverter.SingleToInt32Bits(reference), BitConverter.SingleToInt32Bits(LabeledImages.Normalize((byte)p)));
        }
    }

    [Fact]
    public void Normalize_is_monotonic_and_bounded()
    {
        var values = Enumerable.Range(0, 256).Select(p => LabeledImages.Normalize((byte)p)).ToArray();
        Assert.Equal(-1f, values[0]);
        Assert.Equal(1f, values[255]);
        Assert.All(values.Zip(values.Skip(1)), pair => Assert.True(pair.First < pair.Second));
    }

    [Fact]
    public void Shape_properties_describe_the_set()
    {
        Assert.Equal((2, 2, 2, 4), (Pair.Count, Pair.Rows, Pair.Columns, Pair.PixelsPerImage));
    }

    [Fact]
    public void CopyNormalizedInput_writes_one_image()
    {
        var destination = new float[4];

        Pair.CopyNormalizedInput(0, destination);

        Assert.Equal(new[] { -1f, 1f, -0.6f, 0.6f }, destination, new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void CopyNormalizedInput_leaves_the_rest_of_a_longer_destination_alone()
    {
        var destination = new float[] { 9, 9, 9, 9, 9 };

        Pair.CopyNormalizedInput(1, destination);

        Assert.Equal(LabeledImages.Normalize(1), destination[0]);
        Assert.Equal(LabeledImages.Normalize(4), destination[3]);
        Assert.Equal(9f, destination[4]);
    }

    [Fact]
    public void CopyNormalizedInput_rejects_bad_index_and_short_destination()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pair.CopyNormalizedInput(2, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pair.CopyNormalizedInput(-1, new float[4]));
        Assert.Throws<ArgumentException>(() => Pair.CopyNormalizedInput(0, new float[3]));
    }

    [Fact]
    public void NormalizedInputs_is_row_major_count_by_pixels()
    {
        var inputs = Pair.NormalizedInputs();

        Assert.Equal(8, inputs.Length);
        var second = new float[4];
        Pair.CopyNormalizedInput(1, second);
        Assert.Equal(second, inputs[4..]);
        Assert.Equal(-1f, inputs[0]);
    }

    [Fact]
    public void Take_keeps_the_first_images_without_copying()
    {
        var first = Pair.Take(1);

        Assert.Equal(1, first.Count);
        Assert.Equal(new byte[] { 0, 255, 51, 204 }, first.Pixels.ToArray());
        Assert.Equal(new byte[] { 7 }, first.Labels.ToArray());
        Assert.Equal(0, Pair.Take(0).Count);
    }

    [Fact]
    public void Take_beyond_the_count_returns_the_whole_set()
    {
        Assert.Same(Pair, Pair.Take(2));
        Assert.Same(Pair, Pair.Take(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pair.Take(-1));
    }

    [Fact]
    public void Subset_picks_images_in_the_given_order_with_repeats()
    {
        var subset = Pair.Subset([1, 0, 1]);

        Assert.Equal(3, subset.Count);
        Assert.Equal(new byte[] { 3, 7, 3 }, subset.Labels.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0, 255, 51, 204, 1, 2, 3, 4 }, subset.Pixels.ToArray());
        Assert.Equal((2, 2), (subset.Rows, subset.Columns));
    }

    [Fact]
    public void Subset_rejects_indices_outside_the_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pair.Subset([0, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pair.Subset([-1]));
        Assert.Equal(0, Pair.Subset([]).Count);
    }

    [Fact]
    public void Constructor_rejects_pixels_that_do_not_match_the_shape()
    {
        Assert.Throws<ArgumentException>(() => new LabeledImages(2, 2, new byte[7], new byte[2]));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
