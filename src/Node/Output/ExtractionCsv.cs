using System.Globalization;
using System.Text;
using QSI.Node.Attacks;

namespace QSI.Node.Output;

/// <summary>extraction.csv of <c>qsi attack --strategy extract</c>: one row per checkpoint and layer.</summary>
internal static class ExtractionCsv
{
    /// <summary>The header; the columns are the fields of <see cref="ExtractionPoint"/>.</summary>
    public const string Header = "queries,layer,relativeError,bitsPerWeight,boundBitsPerWeight,accountBitsPerWeight,expectedRelativeError";

    /// <summary>The file's bytes, UTF-8 without a byte-order mark.</summary>
    public static byte[] Format(IEnumerable<ExtractionPoint> points)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var p in points)
            text.Append(CultureInfo.InvariantCulture,
                $"{p.Queries},{p.Layer},{p.RelativeError:R},{p.BitsPerWeight:R},{p.BoundBitsPerWeight:R},{p.AccountBitsPerWeight:R},{p.ExpectedRelativeError:R}\n");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }
}
