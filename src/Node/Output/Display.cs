using System.Globalization;

namespace QSI.Node.Output;

/// <summary>How numbers look in tables and progress lines: four significant digits, percentages to 0.01 %.</summary>
internal static class Display
{
    /// <summary>A number to four significant digits, e.g. 0.08738.</summary>
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage, e.g. 97.53 %.</summary>
    public static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
