using System.Globalization;
using System.Text;
using QSI.Node.Reports;

namespace QSI.Node.Output;

/// <summary>curve.csv: one row per photon number, numbers in invariant culture at full precision.</summary>
internal static class CurveCsv
{
    /// <summary>The header; the column names match the JSON fields of <see cref="CurvePoint"/>.</summary>
    public const string Header = "photons,signalFactor,secureAccuracy,paperAccuracy,acceptRate,weightBitsPerWeight,dataBits";

    /// <summary>The file's bytes, UTF-8 without a byte-order mark.</summary>
    public static byte[] Format(IEnumerable<CurvePoint> points)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var p in points)
        {
            // An empty field, not 0 or NaN, where the paper has no point: spreadsheets read it as missing.
            var paper = p.PaperAccuracy is { } accuracy ? Number(accuracy) : "";
            text.Append(CultureInfo.InvariantCulture,
                $"{Number(p.Photons)},{Number(p.SignalFactor)},{Number(p.SecureAccuracy)},{paper},{Number(p.AcceptRate)},{Number(p.WeightBitsPerWeight)},{Number(p.DataBits)}\n");
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    /// <summary>A number as every CSV of the node writes it: invariant culture, round-trip precision.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
