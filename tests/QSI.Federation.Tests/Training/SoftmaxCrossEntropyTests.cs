using QSI.Federation.Training;

namespace QSI.Federation.Tests.Training;

public sealed class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Loss_and_gradient_match_the_hand_computed_values()
    {
        // logits [1, 2, 3], label 2: loss = log(e + e^2 + e^3) - 3 = 0.4076059644;
        // softmax = [0.0900306, 0.2447285, 0.6652410]; gradient = softmax - one_hot.
        float[] gradient = new float[3];

        double loss = SoftmaxCrossEntropy.LossAndGradient([1f, 2f, 3f], [2], 1, 3, gradient);

        Assert.Equal(0.4076059644, loss, 1e-6);
        Assert.Equal(0.0900306f, gradient[0], 1e-6f);
        Assert.Equal(0.2447285f, gradient[1], 1e-6f);
        Assert.Equal(-0.3347590f, gradient[2], 1e-6f);
        Assert.Equal(loss, SoftmaxCrossEntropy.Loss([1f, 2f, 3f], 2), 1e-6);
    }

    [Fact]
    public void Batch_loss_is_the_mean_and_the_gradient_is_divided_by_the_batch()
    {
        float[] gradient = new float[4];

        double loss = SoftmaxCrossEntropy.LossAndGradient([0f, 0f, 5f, -5f], [0, 0], 2, 2, gradient);

        double expected = (Math.Log(2) + Math.Log(1 + Math.Exp(-10)) - 0) / 2;
        Assert.Equal(expected, loss, 1e-6);
        Assert.Equal(-0.25f, gradient[0], 1e-6f);
        Assert.Equal(0.25f, gradient[1], 1e-6f);
    }

    [Fact]
    public void Huge_logits_do_not_overflow()
    {
        float[] gradient = new float[2];

        double loss = SoftmaxCrossEntropy.LossAndGradient([1000f, 0f], [1], 1, 2, gradient);

        Assert.Equal(1000.0, loss, 1e-3);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Label_outside_the_classes_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SoftmaxCrossEntropy.LossAndGradient([0f, 0f], [2], 1, 2, new float[2]));
    }
}
