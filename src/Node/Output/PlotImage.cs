using ScottPlot;

namespace QSI.Node.Output;

/// <summary>The size every single-panel figure of <c>qsi</c> is drawn at, and its PNG bytes.</summary>
internal static class PlotImage
{
    /// <summary>Width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height in pixels.</summary>
    public const int Height = 560;

    /// <summary>The PNG bytes of <paramref name="plot"/>.</summary>
    public static byte[] Png(Plot plot)
    {
        using var image = plot.GetImage(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }
}
