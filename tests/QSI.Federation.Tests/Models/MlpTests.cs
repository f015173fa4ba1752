using QSI.Federation.Models;

namespace QSI.Federation.Tests.Models;

public sealed class MlpTests
{
    [Fact]
    public void Create_builds_the_reference_shape_without_biases()
    {
        Mlp model = Mlp.Create([784, 784, 10], bias: false, new Random(1));

        Assert.Equal([784, 784, 10], model.Sizes);
        Assert.All(model.Layers, layer => Assert.Null(layer.Bias));
        Assert.Equal(784L * 784 + 784 * 10, model.ParameterCount);
        Assert.Equal(2, model.Parameters.Count);
    }

    [Fact]
    public void Create_is_determined_by_the_random_source()
    {
        Mlp a = Mlp.Create([5, 4, 3], bias: true, new Random(7));
        Mlp b = Mlp.Create([5, 4, 3], bias: true, new Random(7));

        Assert.Equal(a.Layers[1].Weights, b.Layers[1].Weights);
        Assert.Equal(a.Layers[1].Bias, b.Layers[1].Bias);
    }

    [Fact]
    public void Layers_whose_sizes_do_not_chain_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Mlp([new DenseLayer(4, 3, false), new DenseLayer(2, 5, false)]));

        Assert.Contains("expects 5 inputs", ex.Message);
    }

    [Fact]
    public void Hidden_layers_apply_relu_and_the_last_layer_is_linear()
    {
        // Hidden: h = relu([x0 - x1, x1 - x0]); output: [h0 + h1, -h0 - h1].
        var model = new Mlp([
            new DenseLayer(2, 2, [1f, -1f, -1f, 1f], null),
            new DenseLayer(2, 2, [1f, 1f, -1f, -1f], null),
        ]);
        Span<float> logits = stackalloc float[2];

        model.Forward([3f, 1f], logits);

        Assert.Equal([2f, -2f], logits.ToArray());
        Assert.Equal(0, model.Predict([3f, 1f]));
    }

    [Theory]
    [InlineData(true, 37)]
    [InlineData(false, 64)]
    public void Batched_forward_matches_single_sample_forward(bool bias, int count)
    {
        // 300-200 is large enough for the kernels' parallel path, 200-13-5 stays on the serial one.
        var rng = new Random(11);
        Mlp model = Mlp.Create([300, 200, 13, 5], bias, rng);
        float[] inputs = RandomInputs(rng, count, 300);
        var workspace = new MlpBatchWorkspace(model, count);

        model.ForwardBatch(inputs, count, workspace);

        var single = new float[5];
        for (int b = 0; b < count; b++)
        {
            model.Forward(inputs.AsSpan(b * 300, 300), single);
            for (int k = 0; k < 5; k++)
            {
                Assert.Equal(single[k], workspace.Logits[b * 5 + k], 1e-5f);
            }
        }
    }

    [Fact]
    public void Batched_forward_reads_a_slice_of_a_larger_array()
    {
        var rng = new Random(5);
        Mlp model = Mlp.Create([6, 4, 3], bias: true, rng);
        float[] inputs = RandomInputs(rng, 10, 6);
        var workspace = new MlpBatchWorkspace(model, 4);

        model.ForwardBatch(inputs.AsMemory(6 * 6, 4 * 6), 4, workspace);

        var single = new float[3];
        model.Forward(inputs.AsSpan(7 * 6, 6), single);
        Assert.Equal(single, workspace.Logits.AsSpan(3, 3).ToArray());
    }

    [Fact]
    public void Batched_forward_rejects_a_workspace_of_another_shape()
    {
        Mlp model = Mlp.Create([6, 4, 3], bias: false, new Random(1));
        var workspace = new MlpBatchWorkspace(Mlp.Create([6, 5, 3], bias: false, new Random(1)), 8);

        Assert.False(workspace.Fits(model));
        Assert.Throws<ArgumentException>(() => model.ForwardBatch(new float[48], 8, workspace));
        Assert.Throws<ArgumentException>(() => model.ForwardBatch(new float[54], 9, new MlpBatchWorkspace(model, 8)));
    }

    [Fact]
    public void Forward_is_safe_to_call_from_many_threads()
    {
        var rng = new Random(2);
        Mlp model = Mlp.Create([50, 40, 10], bias: false, rng);
        float[] inputs = RandomInputs(rng, 200, 50);
        int[] expected = Enumerable.Range(0, 200).Select(i => model.Predict(inputs.AsSpan(i * 50, 50))).ToArray();

        int[] actual = new int[200];
        Parallel.For(0, 200 * 20, j => actual[j % 200] = model.Predict(inputs.AsSpan(j % 200 * 50, 50)));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Forward_with_a_too_small_workspace_is_rejected()
    {
        Mlp model = Mlp.Create([4, 8, 2], bias: false, new Random(1));

        Assert.Throws<ArgumentException>(() => model.Forward(new float[4], new float[2], new MlpWorkspace(4)));
    }

    [Fact]
    public void Evaluate_counts_the_fraction_of_correct_predictions()
    {
        // The identity layer predicts the index of the largest input.
        var model = new Mlp([new DenseLayer(3, 3, [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], null)]);
        float[] inputs = [9f, 0f, 0f, 0f, 9f, 0f, 0f, 0f, 9f, 9f, 0f, 0f];
        byte[] labels = [0, 1, 2, 2];

        Assert.Equal(0.75, model.Evaluate(inputs, labels));
    }

    [Fact]
    public void Evaluate_matches_predict_across_chunk_boundaries()
    {
        var rng = new Random(4);
        Mlp model = Mlp.Create([20, 16, 4], bias: true, rng);
        const int count = 600;
        float[] inputs = RandomInputs(rng, count, 20);
        byte[] labels = Enumerable.Range(0, count).Select(_ => (byte)rng.Next(4)).ToArray();

        int correct = Enumerable.Range(0, count).Count(i => model.Predict(inputs.AsSpan(i * 20, 20)) == labels[i]);

        Assert.Equal((double)correct / count, model.Evaluate(inputs, labels));
    }

    internal static float[] RandomInputs(Random rng, int count, int features) =>
        Enumerable.Range(0, count * features).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
}
