using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Training;

namespace QSI.Federation.Tests.Inference;

/// <summary>
/// A small image classification problem and a network trained on it: 8x8 images of four
/// classes, each a fixed random pattern plus pixel noise; a 64-32-4 network.
/// </summary>
internal static class SmallClassifier
{
    public const int Side = 8;

    public static LabeledImages Images(int count, int seed)
    {
        var prototypes = new Random(1);
        var patterns = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, Side * Side).Select(_ => prototypes.Next(256)).ToArray()).ToArray();
        var rng = new Random(seed);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        for (var k = 0; k < count; k++)
        {
            labels[k] = (byte)rng.Next(4);
            for (var p = 0; p < Side * Side; p++)
                pixels[k * Side * Side + p] = (byte)Math.Clamp(patterns[labels[k]][p] + rng.Next(-90, 91), 0, 255);
        }
        return new LabeledImages(Side, Side, pixels, labels);
    }

    public static Mlp Train(bool bias, int seed = 3)
    {
        var images = Images(1500, seed: 2);
        var model = Mlp.Create([Side * Side, 32, 4], bias, new Random(seed));
        new MlpTrainer(model, new TrainingOptions { Epochs = 3, Seed = seed }).Train(images.NormalizedInputs(), images.Labels.ToArray());
        return model;
    }
}
