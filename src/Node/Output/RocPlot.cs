using QSI.Node.Attacks;
using QSI.Node.Reports;
using ScottPlot;

namespace QSI.Node.Output;

/// <summary>
/// roc.png: the fraction of dishonest checks flagged against the verifier's false-alarm rate on a
/// logarithmic axis, single queries and pooled ones, beside chance (detection = false alarm) and
/// the measured honest rate, with the run's operating point marked.
/// </summary>
internal static class RocPlot
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>The PNG's bytes.</summary>
    public static byte[] Render(AttackReport report, IReadOnlyList<RocPoint> points)
    {
        var plot = new Plot();
        // ScottPlot has no logarithmic axis: plot log10 of the rate and label the ticks with the rate.
        double[] rates = [.. points.Select(p => Math.Log10(p.FalseAlarm))];

        var single = plot.Add.Scatter(rates, points.Select(p => p.Detection).ToArray());
        single.LegendText = $"{report.Strategy}, single queries ({report.Frames:N0} checks)";
        single.LineWidth = 2;
        single.MarkerSize = 5;

        if (points.Count > 0 && points[0].PooledFrames is { } k)
        {
            var pooled = plot.Add.Scatter(rates, points.Select(p => p.PooledDetection ?? 0).ToArray());
            pooled.LegendText = $"{report.Strategy}, {k:N0} queries pooled ({report.Frames / k:N0} checks)";
            pooled.LineWidth = 2;
            pooled.MarkerSize = 5;
            pooled.LinePattern = LinePattern.Dashed;
        }

        var honest = plot.Add.Scatter(rates, points.Select(p => p.HonestFlagged).ToArray());
        honest.LegendText = "honest client (measured false alarms)";
        honest.MarkerSize = 4;
        honest.LinePattern = LinePattern.DenselyDashed;

        var chance = plot.Add.Scatter(rates, points.Select(p => p.FalseAlarm).ToArray());
        chance.LegendText = "chance (detection = false alarm)";
        chance.MarkerSize = 0;
        chance.LinePattern = LinePattern.Dotted;
        chance.Color = Colors.Gray;

        var operating = plot.Add.ScatterPoints(new[] { Math.Log10(report.FalseAlarm) }, new[] { report.DetectionRate });
        operating.LegendText = $"operating point: false alarm {report.FalseAlarm:G3}, detection {report.DetectionRate:P1}";
        operating.MarkerSize = 12;
        operating.MarkerShape = MarkerShape.FilledDiamond;
        operating.Color = Colors.Red;

        LogScale.Label(plot.Axes.Bottom);
        plot.Axes.SetLimitsY(-0.02, 1.02);
        plot.Title($"Verifier against {report.Strategy}: μ = {report.Photons:G4}, G = {report.Gain:G4}, {string.Join('-', report.Sizes)}");
        plot.XLabel("false-alarm rate per check, log scale");
        plot.YLabel("fraction of dishonest checks flagged");
        plot.ShowLegend(Alignment.MiddleRight);

        using var image = plot.GetImage(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }
}
