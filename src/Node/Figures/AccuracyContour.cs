using System.Globalization;
using QSI.Node.Output;
using QSI.Protocol.Client;

namespace QSI.Node.Figures;

/// <summary>
/// The accuracy level drawn on the leakage map, from a curve.csv of <c>qsi curve</c>. The curve
/// holds accuracy against mu at one gain, and accuracy depends on mu and G only through
/// F = 2 mu kappa(G) (PROTOCOL.md section 3, step 4): the level is the F where the secure
/// accuracy first comes within one point of the curve's best, and across gains it lies at
/// mu = F / (2 kappa(G)).
/// </summary>
/// <param name="Accuracy">The level: the curve's best secure accuracy less 0.01.</param>
/// <param name="SignalFactor">F at which the curve reaches it, interpolated linearly in log F.</param>
internal sealed record AccuracyContour(double Accuracy, double SignalFactor)
{
    /// <summary>The photon number that gives <see cref="SignalFactor"/> at gain <paramref name="gain"/>.</summary>
    public double PhotonsAt(double gain) => SignalFactor / (2 * new DeviceNoise(gain).Kappa);

    /// <summary>Reads curve.csv (columns of <see cref="CurveCsv.Header"/>).</summary>
    /// <exception cref="UserError">The file is missing, not a curve.csv, or has no points.</exception>
    public static AccuracyContour Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--curve {Path.GetFullPath(path)}: cannot read: {ex.Message}", ex);
        }

        if (lines.Length < 2 || lines[0].Trim() != CurveCsv.Header)
        {
            throw new UserError($"--curve {Path.GetFullPath(path)}: not a curve.csv of 'qsi curve' (expected the header {CurveCsv.Header})");
        }

        var columns = CurveCsv.Header.Split(',');
        int f = Array.IndexOf(columns, "signalFactor"), accuracy = Array.IndexOf(columns, "secureAccuracy");
        var points = lines.Skip(1).Where(l => l.Trim().Length > 0).Select((line, i) =>
        {
            var fields = line.Split(',');
            return fields.Length == columns.Length
                && double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0
                && double.TryParse(fields[accuracy], NumberStyles.Float, CultureInfo.InvariantCulture, out var acc)
                ? (Factor: factor, Accuracy: acc)
                : throw new UserError($"--curve {Path.GetFullPath(path)}: line {i + 2} is not a row of numbers: '{line}'");
        }).OrderBy(p => p.Factor).ToArray();
        return Through(points);
    }

    /// <summary>The level of points (F, accuracy) sorted by F.</summary>
    public static AccuracyContour Through(IReadOnlyList<(double Factor, double Accuracy)> points)
    {
        var level = points.Max(p => p.Accuracy) - 0.01;
        var first = points.Select((p, i) => (p, i)).First(q => q.p.Accuracy >= level).i;
        if (first == 0) return new AccuracyContour(level, points[0].Factor);
        var (low, high) = (points[first - 1], points[first]);
        var fraction = (level - low.Accuracy) / (high.Accuracy - low.Accuracy);
        var logF = Math.Log10(low.Factor) + fraction * (Math.Log10(high.Factor) - Math.Log10(low.Factor));
        return new AccuracyContour(level, Math.Pow(10, logF));
    }
}
