using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests;

/// <summary>Small layers and inputs with fixed seeds, shared by the protocol tests.</summary>
internal static class ProtocolFixture
{
    public static float[] Weights(int rows, int columns, int seed)
    {
        var noise = NoiseSource.Seeded(seed);
        var w = new float[rows * columns];
        for (var k = 0; k < w.Length; k++) w[k] = (float)(0.1 * noise.NextGaussian());
        return w;
    }

    /// <summary>Weights of +-0.1 with random signs: every mode carries the same photon number mu, as Attack.Expected assumes.</summary>
    public static float[] SignWeights(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var w = new float[rows * columns];
        for (var k = 0; k < w.Length; k++) w[k] = random.Next(2) == 0 ? -0.1f : 0.1f;
        return w;
    }

    public static float[] Input(int columns, int seed)
    {
        var noise = NoiseSource.Seeded(seed);
        var z = new float[columns];
        for (var k = 0; k < z.Length; k++) z[k] = (float)Math.Abs(noise.NextGaussian());
        return z;
    }

    public static EncodedLayer Encode(float[] weights, int rows, int columns, double photons, int copies) =>
        WeightEncoder.Encode(weights, rows, columns, photons, copies);
}
