using QSI.Federation.Data;

/// <summary>Generated 8x8 images of four kinds of bar (row, column, diagonal, anti-diagonal) over faint noise.</summary>
static class Bars
{
    public static LabeledImages Create(int count, Random random)
    {
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 4);
            var at = random.Next(1, 7);
            for (var k = 0; k < 64; k++)
            {
                int r = k / 8, c = k % 8;
                var on = labels[i] switch { 0 => r == at, 1 => c == at, 2 => r == c, _ => r + c == 7 };
                pixels[i * 64 + k] = (byte)(on ? 255 : random.Next(0, 40));
            }
        }
        return new LabeledImages(8, 8, pixels, labels);
    }
}
