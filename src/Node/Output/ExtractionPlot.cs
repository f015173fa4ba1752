using QSI.Node.Attacks;
using QSI.Node.Reports;
using ScottPlot;

namespace QSI.Node.Output;

/// <summary>
/// extraction.png: two panels against the number of queries on a logarithmic axis, the extractor's
/// relative error per layer (with the error it expects), and its bits per weight beside the
/// Holevo bound on the same light.
/// </summary>
internal static class ExtractionPlot
{
    private const int Width = 900;
    private const int Height = 1000;

    /// <summary>The PNG's bytes.</summary>
    public static byte[] Render(AttackReport report, IReadOnlyList<ExtractionPoint> points)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var error = multiplot.GetPlot(0);
        var bits = multiplot.GetPlot(1);
        foreach (var layer in points.GroupBy(p => p.Layer).OrderBy(g => g.Key))
        {
            var row = layer.OrderBy(p => p.Queries).ToArray();
            double[] queries = [.. row.Select(p => Math.Log10(p.Queries))];

            Pair(error, queries, row.Select(p => p.RelativeError), $"layer {layer.Key}: |W^ - W| / |W|",
                row.Select(p => p.ExpectedRelativeError), $"layer {layer.Key}: expected by the attacker");
            Pair(bits, queries, row.Select(p => p.BitsPerWeight), $"layer {layer.Key}: learned, -log2 relative error",
                row.Select(p => p.BoundBitsPerWeight), $"layer {layer.Key}: Holevo bound");
        }

        foreach (var plot in new[] { error, bits })
        {
            LogScale.Label(plot.Axes.Bottom);
            plot.XLabel("queries observed, log scale");
        }
        error.Title($"Weight extraction from the client's own outputs: {string.Join('-', report.Sizes)}, μ = {report.Photons:G4}, G = {report.Gain:G4}");
        error.YLabel("relative error");
        error.Axes.SetLimitsY(0, 1.05);
        error.ShowLegend(Alignment.LowerLeft);
        bits.Title("Bits per weight learned, beside the bound on the same light");
        bits.YLabel("bits per weight");
        bits.ShowLegend(Alignment.UpperLeft);

        using var image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    /// <summary>A measured line with markers and, in its colour, a dashed reference line beside it.</summary>
    private static void Pair(Plot plot, double[] x, IEnumerable<double> measured, string measuredLabel, IEnumerable<double> reference, string referenceLabel)
    {
        var line = plot.Add.Scatter(x, measured.ToArray());
        line.LegendText = measuredLabel;
        line.LineWidth = 2;
        line.MarkerSize = 6;
        var dashed = plot.Add.Scatter(x, reference.ToArray());
        dashed.LegendText = referenceLabel;
        dashed.LinePattern = LinePattern.Dashed;
        dashed.Color = line.Color;
        dashed.MarkerSize = 0;
    }
}
