using System.Globalization;
using System.Text;

namespace QSI.Node.Figures;

/// <summary>map.csv, loss.csv, noise.csv, layers.csv: one row per <see cref="LeakagePoint"/>, invariant culture, full precision.</summary>
internal static class LeakageCsv
{
    /// <summary>The header; the names match <see cref="LeakagePoint"/>'s JSON fields.</summary>
    public const string Header = "gain,photons,weightBitsPerWeight,dataBits,weightBitsPerMode,transmission,excess,modes,signalFactor";

    /// <summary>The file's bytes, UTF-8 without a byte-order mark.</summary>
    public static byte[] Format(IEnumerable<LeakagePoint> points)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var p in points)
        {
            text.AppendJoin(',', new[]
            {
                N(p.Gain), N(p.Photons), N(p.WeightBitsPerWeight), N(p.DataBits), N(p.WeightBitsPerMode),
                N(p.Transmission), N(p.Excess), p.Modes.ToString(CultureInfo.InvariantCulture), N(p.SignalFactor),
            }).Append('\n');
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string N(double value) => Output.CurveCsv.Number(value);
}
