namespace QSI.Federation.Tests.Training;

/// <summary>
/// Synthetic classification data: one Gaussian cloud (unit variance) per class around a centre drawn
/// from N(0, spread^2) in every dimension.
/// </summary>
internal static class GaussianBlobs
{
    public static (float[] Inputs, byte[] Labels) Generate(int count, int features, int classes, double spread, int seed)
    {
        var rng = new Random(seed);
        double[][] centres = Enumerable.Range(0, classes)
            .Select(_ => Enumerable.Range(0, features).Select(_ => spread * Normal(rng)).ToArray())
            .ToArray();
        return Sample(count, centres, rng);
    }

    /// <summary>Train and test sets drawn around the same centres.</summary>
    public static ((float[] Inputs, byte[] Labels) Train, (float[] Inputs, byte[] Labels) Test) Split(
        int trainCount, int testCount, int features, int classes, double spread, int seed)
    {
        var all = Generate(trainCount + testCount, features, classes, spread, seed);
        int split = trainCount * features;
        return ((all.Inputs[..split], all.Labels[..trainCount]), (all.Inputs[split..], all.Labels[trainCount..]));
    }

    private static (float[] Inputs, byte[] Labels) Sample(int count, double[][] centres, Random rng)
    {
        int features = centres[0].Length;
        var inputs = new float[count * features];
        var labels = new byte[count];
        for (int s = 0; s < count; s++)
        {
            labels[s] = (byte)rng.Next(centres.Length);
            for (int k = 0; k < features; k++)
            {
                inputs[s * features + k] = (float)(centres[labels[s]][k] + Normal(rng));
            }
        }

        return (inputs, labels);
    }

    // Box-Muller; the standard library has no normal sampler.
    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
