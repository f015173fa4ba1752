using QSI.Federation.Inference;
using QSI.Node.Reports;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace QSI.Node.Output;

/// <summary>
/// curve.png: secure accuracy against the signal factor F on a logarithmic axis, beside the
/// paper's published curve and the model's digital accuracy.
/// </summary>
internal static class CurvePlot
{
    /// <summary>The PNG's bytes.</summary>
    public static byte[] Render(CurveReport report)
    {
        var plot = new Plot();
        var ours = report.Points.OrderBy(p => p.SignalFactor).ToArray();

        // ScottPlot has no logarithmic axis: plot log10(F) and label the ticks with F itself.
        var secure = plot.Add.Scatter(
            ours.Select(p => Math.Log10(p.SignalFactor)).ToArray(),
            ours.Select(p => p.SecureAccuracy).ToArray());
        secure.LegendText = $"secure inference, this model ({report.Images:N0} images)";
        secure.MarkerSize = 9;
        secure.LineWidth = 2;

        var paper = plot.Add.Scatter(
            PaperReference.Curve.Select(p => Math.Log10(p.SignalFactor)).ToArray(),
            PaperReference.Curve.Select(p => p.Accuracy).ToArray());
        paper.LegendText = "paper, 784-784-10 network (Sulimany et al.)";
        paper.MarkerSize = 7;
        paper.MarkerShape = MarkerShape.OpenSquare;
        paper.LinePattern = LinePattern.Dashed;

        var digital = plot.Add.HorizontalLine(report.DigitalAccuracy);
        digital.LegendText = $"digital, this model ({report.DigitalAccuracy:P1})";
        digital.LinePattern = LinePattern.Dotted;
        digital.LineWidth = 2;

        LogScale.Label(plot.Axes.Bottom);
        plot.Axes.Left.TickGenerator = new NumericFixedInterval(0.1);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Title($"MNIST accuracy through the protocol, G = {report.Gain:G4}");
        plot.XLabel("signal factor F = 2μκ(G), log scale");
        plot.YLabel("test accuracy");
        plot.ShowLegend(Alignment.LowerRight);

        return PlotImage.Png(plot);
    }
}
