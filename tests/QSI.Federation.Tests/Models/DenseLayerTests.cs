using QSI.Federation.Models;

namespace QSI.Federation.Tests.Models;

public sealed class DenseLayerTests
{
    [Fact]
    public void Forward_computes_weights_times_input_plus_bias()
    {
        // W = [[1, 2, 3], [-1, 0, 0.5]], b = [0.5, -1], x = [1, -1, 2]
        var layer = new DenseLayer(2, 3, [1f, 2f, 3f, -1f, 0f, 0.5f], [0.5f, -1f]);
        Span<float> y = stackalloc float[2];

        layer.Forward([1f, -1f, 2f], y);

        Assert.Equal(5.5f, y[0]);
        Assert.Equal(-1f, y[1]);
    }

    [Fact]
    public void Row_is_the_weights_of_one_output_unit()
    {
        var layer = new DenseLayer(2, 3, [1f, 2f, 3f, 4f, 5f, 6f], null);

        Assert.Equal([4f, 5f, 6f], layer.Row(1).ToArray());
    }

    [Fact]
    public void Uniform_initialisation_stays_within_one_over_sqrt_fan_in_and_is_centred()
    {
        var layer = new DenseLayer(200, 100, hasBias: true);

        layer.InitializeUniform(new Random(3));

        float bound = 1f / MathF.Sqrt(100);
        Assert.All(layer.Weights, w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias!, b => Assert.InRange(b, -bound, bound));
        Assert.InRange(layer.Weights.Average(), -0.01, 0.01);
        // A uniform variable on [-B, B] has variance B^2 / 3.
        double variance = layer.Weights.Select(w => (double)w * w).Average();
        Assert.InRange(variance, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
    }

    [Fact]
    public void Constructor_rejects_arrays_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => new DenseLayer(2, 3, new float[5], null));
        Assert.Throws<ArgumentException>(() => new DenseLayer(2, 3, new float[6], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseLayer(0, 3, hasBias: false));
    }

    [Fact]
    public void Clone_does_not_share_parameters()
    {
        var layer = new DenseLayer(1, 2, [1f, 2f], [3f]);

        DenseLayer copy = layer.Clone();
        copy.Weights[0] = 9f;
        copy.Bias![0] = 9f;

        Assert.Equal(1f, layer.Weights[0]);
        Assert.Equal(3f, layer.Bias![0]);
    }
}
