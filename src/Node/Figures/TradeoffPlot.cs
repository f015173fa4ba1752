using QSI.Node.Output;
using ScottPlot;

namespace QSI.Node.Figures;

/// <summary>
/// tradeoff.png: weight leakage per weight against data leakage per element, both on log axes,
/// one line per photon number traced over the gain, with the paper's 0.1-bit weight and
/// 0.01-bit data levels and each line's point at G = 2 marked.
/// </summary>
internal static class TradeoffPlot
{
    /// <summary>The PNG's bytes; <paramref name="lines"/> holds one line of points, ordered by gain, per photon number.</summary>
    public static byte[] Render(IReadOnlyList<IReadOnlyList<LeakagePoint>> lines, int modes, double transmission)
    {
        var plot = new Plot();
        foreach (var line in lines)
        {
            var drawn = plot.Add.Scatter(
                line.Select(p => Math.Log10(p.DataBits)).ToArray(),
                line.Select(p => Math.Log10(p.WeightBitsPerWeight)).ToArray());
            drawn.LegendText = $"μ = {Display.Number(line[0].Photons)}";
            drawn.LineWidth = 2;
            drawn.MarkerSize = 0;
            var atTwo = LeakagePoint.At(2, line[0].Photons, transmission, line[0].Excess, modes);
            var marker = plot.Add.ScatterPoints(new[] { Math.Log10(atTwo.DataBits) }, new[] { Math.Log10(atTwo.WeightBitsPerWeight) });
            marker.Color = drawn.Color;
            marker.MarkerSize = 9;
            marker.MarkerShape = MarkerShape.FilledCircle;
        }

        var weight = plot.Add.HorizontalLine(Math.Log10(0.1));
        weight.LegendText = "0.1 bit per weight";
        weight.LinePattern = LinePattern.Dashed;
        weight.Color = Colors.Gray;
        var data = plot.Add.VerticalLine(Math.Log10(0.01));
        data.LegendText = "0.01 bit per data element";
        data.LinePattern = LinePattern.Dotted;
        data.Color = Colors.Gray;

        LogScale.Label(plot.Axes.Bottom);
        LogScale.Label(plot.Axes.Left);
        var g = lines[0];
        plot.Title($"Weight against data leakage over the gain {Display.Number(g[0].Gain)}..{Display.Number(g[^1].Gain)} (dots: G = 2), n' = {modes}, T = {Display.Number(transmission)}");
        plot.XLabel("I_x, bits per data element, log scale");
        plot.YLabel("I_w / 2, bits per weight, log scale");
        plot.ShowLegend(Alignment.UpperLeft);
        return PlotImage.Png(plot);
    }
}
