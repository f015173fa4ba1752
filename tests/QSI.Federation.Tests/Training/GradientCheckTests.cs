using QSI.Federation.Models;
using QSI.Federation.Training;

namespace QSI.Federation.Tests.Training;

/// <summary>
/// Backpropagation against central finite differences of the mean loss. The network runs in float32,
/// so with h = 1e-3 the difference quotient carries about 1e-4 of rounding noise; a gradient entry
/// passes when |analytic - numeric| &lt;= 1e-3 + 1e-2 * |numeric|.
/// </summary>
public sealed class GradientCheckTests
{
    private const float H = 1e-3f;
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-2;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_gradient_of_a_tiny_network_matches_finite_differences(bool bias)
    {
        var rng = new Random(21);
        Mlp model = Mlp.Create([5, 6, 4, 3], bias, rng);
        (float[] inputs, byte[] labels) = Batch(rng, 4, 5, 3);
        var backpropagation = new Backpropagation(model, 4);

        backpropagation.Compute(inputs, labels, 4);

        IReadOnlyList<float[]> parameters = model.Parameters;
        for (int a = 0; a < parameters.Count; a++)
        {
            for (int i = 0; i < parameters[a].Length; i++)
            {
                AssertGradient(model, inputs, labels, parameters[a], i, backpropagation.Gradients[a][i]);
            }
        }
    }

    [Fact]
    public void Sampled_gradients_of_a_network_on_the_parallel_kernels_match_finite_differences()
    {
        // 16 x 200 x 300 multiply-adds is above the kernels' threshold for going parallel.
        var rng = new Random(8);
        Mlp model = Mlp.Create([300, 200, 10], bias: false, rng);
        (float[] inputs, byte[] labels) = Batch(rng, 16, 300, 10);
        var backpropagation = new Backpropagation(model, 16);

        backpropagation.Compute(inputs, labels, 16);

        for (int check = 0; check < 200; check++)
        {
            int a = check % 2;
            int i = rng.Next(model.Parameters[a].Length);
            AssertGradient(model, inputs, labels, model.Parameters[a], i, backpropagation.Gradients[a][i]);
        }
    }

    [Fact]
    public void Compute_returns_the_mean_loss_of_the_batch()
    {
        var rng = new Random(3);
        Mlp model = Mlp.Create([5, 6, 3], bias: true, rng);
        (float[] inputs, byte[] labels) = Batch(rng, 7, 5, 3);

        double loss = new Backpropagation(model, 8).Compute(inputs, labels, 7);

        Assert.Equal(MeanLoss(model, inputs, labels), loss, 1e-6);
    }

    private static void AssertGradient(Mlp model, float[] inputs, byte[] labels, float[] parameter, int i, float analytic)
    {
        float original = parameter[i];
        parameter[i] = original + H;
        double plus = MeanLoss(model, inputs, labels);
        parameter[i] = original - H;
        double minus = MeanLoss(model, inputs, labels);
        parameter[i] = original;

        double numeric = (plus - minus) / (2 * H);
        double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
        Assert.True(Math.Abs(analytic - numeric) <= allowed, $"parameter {i}: analytic {analytic}, numeric {numeric}");
    }

    private static double MeanLoss(Mlp model, float[] inputs, byte[] labels)
    {
        int n = model.InputSize;
        var logits = new float[model.OutputSize];
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            model.Forward(inputs.AsSpan(b * n, n), logits);
            total += SoftmaxCrossEntropy.Loss(logits, labels[b]);
        }

        return total / labels.Length;
    }

    private static (float[] Inputs, byte[] Labels) Batch(Random rng, int count, int features, int classes)
    {
        float[] inputs = Enumerable.Range(0, count * features).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(_ => (byte)rng.Next(classes)).ToArray();
        return (inputs, labels);
    }
}
