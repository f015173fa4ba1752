using QSI.Protocol.Client;

namespace QSI.Protocol.Tests;

public class ConjugateProductTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(18)]
    [InlineData(34)]
    [InlineData(784)]
    public void The_fused_pass_equals_the_complex_product_of_the_packed_pairs(int length)
    {
        var rng = new Random(length);
        var w = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var x = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        double re = 0, im = 0;
        for (var j = 0; j < length; j += 2)
        {
            // conj(x_j) alpha_j with x_j = x[j] + i x[j+1], alpha_j = w[j] + i w[j+1]
            re += w[j] * x[j] + w[j + 1] * x[j + 1];
            im += w[j + 1] * x[j] - w[j] * x[j + 1];
        }
        var (fusedRe, fusedIm) = ConjugateProduct.Compute(w, x);
        Assert.Equal(re, fusedRe, 4);
        Assert.Equal(im, fusedIm, 4);
    }
}
