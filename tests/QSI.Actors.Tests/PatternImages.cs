using QSI.Federation.Data;

namespace QSI.Actors.Tests;

/// <summary>8x8 images of four classes: a fixed random pattern per class plus uniform pixel noise of ±<c>noise</c>.</summary>
internal static class PatternImages
{
    public static LabeledImages Create(int count, int seed, int noise)
    {
        var prototypes = new Random(1);
        var patterns = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 64).Select(_ => prototypes.Next(256)).ToArray()).ToArray();
        var rng = new Random(seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (var k = 0; k < count; k++)
        {
            labels[k] = (byte)rng.Next(4);
            for (var p = 0; p < 64; p++) pixels[k * 64 + p] = (byte)Math.Clamp(patterns[labels[k]][p] + rng.Next(-noise, noise + 1), 0, 255);
        }
        return new LabeledImages(8, 8, pixels, labels);
    }
}
