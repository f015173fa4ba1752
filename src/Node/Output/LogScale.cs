using ScottPlot;
using ScottPlot.TickGenerators;

namespace QSI.Node.Output;

/// <summary>
/// ScottPlot has no logarithmic axis: the plots put log10 of the value on the axis, and this
/// labels its ticks with the value itself, with minor ticks where a log axis has them.
/// </summary>
internal static class LogScale
{
    /// <summary>Ticks of <paramref name="axis"/>, whose coordinates are log10 of the values shown.</summary>
    public static void Label(IAxis axis) => axis.TickGenerator = new NumericAutomatic
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => Display.Number(Math.Pow(10, exponent)),
    };
}
