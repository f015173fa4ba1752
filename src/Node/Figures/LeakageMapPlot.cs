using QSI.Node.Output;
using ScottPlot;

namespace QSI.Node.Figures;

/// <summary>
/// A heatmap of one leakage bound over the grid of gain (columns) and photon number (rows), in
/// log10 of the bits, with the accuracy level's photon number at each gain drawn on it when a
/// curve is given. Cells are evenly spaced whatever the grid's values; ticks name the values.
/// </summary>
internal static class LeakageMapPlot
{
    /// <summary>The PNG's bytes.</summary>
    public static byte[] Render(
        IReadOnlyList<double> gains, IReadOnlyList<double> photons, Func<double, double, double> bits,
        string title, string unit, AccuracyContour? contour)
    {
        var plot = new Plot();
        var cells = new double[photons.Count, gains.Count];
        for (var row = 0; row < photons.Count; row++)
        {
            for (var column = 0; column < gains.Count; column++)
            {
                // Row 0 of a ScottPlot heatmap is drawn at the top: the largest mu goes there.
                cells[photons.Count - 1 - row, column] = Math.Log10(Math.Max(bits(gains[column], photons[row]), 1e-12));
            }
        }

        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Position = new CoordinateRect(-0.5, gains.Count - 0.5, -0.5, photons.Count - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = $"log10 {unit}";

        if (contour is not null)
        {
            var line = ContourLine(gains, photons, contour);
            var drawn = plot.Add.Scatter(line.Select(p => p.X).ToArray(), line.Select(p => p.Y).ToArray());
            drawn.Color = Colors.Red;
            drawn.LineWidth = 3;
            drawn.MarkerSize = 6;
            drawn.LegendText = $"accuracy {contour.Accuracy:P1} (F = {contour.SignalFactor:G3}): mu = F / 2κ(G)";
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, gains.Count).Select(i => (double)i)], [.. gains.Select(g => Display.Number(g))]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, photons.Count).Select(i => (double)i)], [.. photons.Select(m => Display.Number(m))]);
        plot.Axes.SetLimits(-0.5, gains.Count - 0.5, -0.5, photons.Count - 0.5);
        plot.Title(title);
        plot.XLabel("gain G");
        plot.YLabel("mean photon number μ per mode");
        return PlotImage.Png(plot);
    }

    // The level's mu at each gain, placed between the rows by interpolating in log mu; gains whose
    // level lies outside the grid's photon numbers are left out.
    private static List<Coordinates> ContourLine(IReadOnlyList<double> gains, IReadOnlyList<double> photons, AccuracyContour contour)
    {
        var line = new List<Coordinates>();
        for (var column = 0; column < gains.Count; column++)
        {
            var mu = contour.PhotonsAt(gains[column]);
            for (var row = 0; row + 1 < photons.Count; row++)
            {
                var (low, high) = (photons[row], photons[row + 1]);
                if (mu >= Math.Min(low, high) && mu <= Math.Max(low, high))
                {
                    var fraction = (Math.Log(mu) - Math.Log(low)) / (Math.Log(high) - Math.Log(low));
                    line.Add(new Coordinates(column, row + fraction));
                    break;
                }
            }
        }

        return line;
    }
}
