using QSI.Federation.Training;

namespace QSI.Federation.Tests.Training;

public sealed class AdamTests
{
    [Fact]
    public void Two_steps_match_the_hand_computed_update()
    {
        // p = 1, lr = 0.1, gradients 0.5 then -1.
        // t=1: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25 -> p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002
        // t=2: m = -0.055, v = 0.00124975, bias corrections 0.19 and 0.001999
        //      -> p = 0.9 + (0.1 / 0.19) * 0.055 / (sqrt(0.00124975) / sqrt(0.001999) + 1e-8) = 0.93661035
        float[] p = [1f];
        var adam = new Adam([p]);

        adam.Step([[0.5f]], 0.1);
        Assert.Equal(0.900000002f, p[0], 1e-6f);

        adam.Step([[-1f]], 0.1);
        Assert.Equal(0.93661035f, p[0], 1e-6f);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void First_step_moves_every_parameter_by_the_learning_rate_against_its_gradient_sign()
    {
        // With bias correction the first step is lr * g / (|g| + eps), whatever the gradient's scale.
        float[] weights = [0f, 0f, 0f];
        float[] bias = [1f];
        var adam = new Adam([weights, bias]);

        adam.Step([[3f, -0.001f, 0f], [-50f]], 0.01);

        Assert.Equal(-0.01f, weights[0], 1e-6f);
        Assert.Equal(0.01f, weights[1], 1e-6f);
        Assert.Equal(0f, weights[2]);
        Assert.Equal(1.01f, bias[0], 1e-6f);
    }

    [Fact]
    public void Vectorised_and_parallel_update_gives_the_same_bits_as_one_weight_at_a_time()
    {
        // 70,003 weights exercise the SIMD body, the scalar tail and the split into parallel chunks.
        var rng = new Random(12);
        const int n = 70_003;
        float[] bulk = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[][] single = bulk.Select(x => new[] { x }).ToArray();
        var bulkAdam = new Adam([bulk]);
        var singleAdam = single.Select(p => new Adam([p])).ToArray();

        for (int step = 0; step < 3; step++)
        {
            float[] gradient = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            bulkAdam.Step([gradient], 1e-3);
            for (int i = 0; i < n; i++)
            {
                singleAdam[i].Step([[gradient[i]]], 1e-3);
            }
        }

        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(single[i][0]), BitConverter.SingleToInt32Bits(bulk[i]));
        }
    }

    [Fact]
    public void Reset_restarts_the_bias_correction()
    {
        float[] p = [0f];
        var adam = new Adam([p]);
        adam.Step([[1f]], 0.1);
        adam.Step([[1f]], 0.1);

        adam.Reset();
        p[0] = 0f;
        adam.Step([[2f]], 0.1);

        Assert.Equal(-0.1f, p[0], 1e-6f);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void Gradients_that_do_not_match_the_parameters_are_rejected()
    {
        var adam = new Adam([new float[2]]);

        Assert.Throws<ArgumentException>(() => adam.Step([new float[3]], 0.1));
        Assert.Throws<ArgumentException>(() => adam.Step([new float[2], new float[2]], 0.1));
    }
}
