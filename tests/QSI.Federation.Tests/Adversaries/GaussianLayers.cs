using QSI.Federation.Models;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Tests.Adversaries;

/// <summary>Layers and inputs drawn from seeded Gaussians: the prior the extractor assumes, and isotropic queries.</summary>
internal static class GaussianLayers
{
    /// <summary>A one-layer model of <paramref name="rows"/> x <paramref name="columns"/> N(0, 1/n) weights (and bias).</summary>
    public static Mlp Model(int rows, int columns, bool bias, int seed)
    {
        var noise = NoiseSource.Seeded(seed);
        var layer = new DenseLayer(rows, columns, bias);
        Fill(layer.Weights, noise, 1 / Math.Sqrt(columns));
        if (layer.Bias is not null) Fill(layer.Bias, noise, 1 / Math.Sqrt(columns));
        return new Mlp([layer]);
    }

    /// <summary><paramref name="count"/> N(0, I) inputs of <paramref name="width"/> values, row-major: their directions are uniform.</summary>
    public static float[] Inputs(int count, int width, NoiseSource noise)
    {
        var inputs = new float[count * width];
        Fill(inputs, noise, 1);
        return inputs;
    }

    private static void Fill(float[] values, NoiseSource noise, double sigma)
    {
        for (var k = 0; k < values.Length; k++) values[k] = (float)(sigma * noise.NextGaussian());
    }
}
