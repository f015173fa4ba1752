using QSI.Node.Output;
using ScottPlot;

namespace QSI.Node.Figures;

/// <summary>
/// loss.png, noise.png, layers.png: weight bits per weight and data bits per element against one
/// swept setting, on a log leakage axis, with the paper's 0.1-bit and 0.01-bit levels.
/// </summary>
internal static class PanelPlot
{
    /// <summary>The PNG's bytes; <paramref name="x"/> gives each point's swept value, plotted in log10 when <paramref name="logX"/>.</summary>
    public static byte[] Render(IReadOnlyList<LeakagePoint> points, Func<LeakagePoint, double> x, bool logX, string title, string xLabel)
    {
        var plot = new Plot();
        double[] xs = [.. points.Select(p => logX ? Math.Log10(x(p)) : x(p))];
        Series(plot, xs, points.Select(p => p.WeightBitsPerWeight), "I_w / 2, bits per weight", LinePattern.Solid);
        Series(plot, xs, points.Select(p => p.DataBits), "I_x, bits per data element", LinePattern.Dashed);
        Level(plot, 0.1, "0.1 bit per weight");
        Level(plot, 0.01, "0.01 bit per data element");

        if (logX) LogScale.Label(plot.Axes.Bottom);
        LogScale.Label(plot.Axes.Left);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("leakage per use, bits, log scale");
        plot.ShowLegend(Alignment.UpperRight);
        return PlotImage.Png(plot);
    }

    private static void Series(Plot plot, double[] xs, IEnumerable<double> bits, string legend, LinePattern pattern)
    {
        var line = plot.Add.Scatter(xs, bits.Select(b => Math.Log10(Math.Max(b, 1e-12))).ToArray());
        line.LegendText = legend;
        line.LineWidth = 2;
        line.MarkerSize = 5;
        line.LinePattern = pattern;
    }

    private static void Level(Plot plot, double bits, string legend)
    {
        var level = plot.Add.HorizontalLine(Math.Log10(bits));
        level.LegendText = legend;
        level.LinePattern = LinePattern.Dotted;
        level.Color = Colors.Gray;
    }
}
