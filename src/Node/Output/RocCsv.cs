using System.Globalization;
using System.Text;
using QSI.Node.Attacks;

namespace QSI.Node.Output;

/// <summary>roc.csv: one row per false-alarm rate, numbers in invariant culture at full precision.</summary>
internal static class RocCsv
{
    /// <summary>The header; the columns are the fields of <see cref="RocPoint"/>.</summary>
    public const string Header = "falseAlarm,detection,honestFlagged,pooledFrames,pooledDetection";

    /// <summary>The file's bytes, UTF-8 without a byte-order mark; the pooled columns empty without a pooled curve.</summary>
    public static byte[] Format(IEnumerable<RocPoint> points)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var p in points)
            text.Append(CultureInfo.InvariantCulture,
                $"{Number(p.FalseAlarm)},{Number(p.Detection)},{Number(p.HonestFlagged)},{p.PooledFrames},{(p.PooledDetection is { } d ? Number(d) : "")}\n");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
