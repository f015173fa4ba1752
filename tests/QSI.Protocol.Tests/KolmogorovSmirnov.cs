namespace QSI.Protocol.Tests;

/// <summary>The two-sample Kolmogorov-Smirnov test, for comparing simulation paths.</summary>
internal static class KolmogorovSmirnov
{
    /// <summary>The statistic D = sup |F1 - F2| of two samples.</summary>
    public static double Statistic(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var a = first.OrderBy(v => v).ToArray();
        var b = second.OrderBy(v => v).ToArray();
        int i = 0, j = 0;
        double d = 0;
        while (i < a.Length && j < b.Length)
        {
            var v = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= v) i++;
            while (j < b.Length && b[j] <= v) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;
    }

    /// <summary>Critical D at significance 0.001: c(a) sqrt((n + m)/(n m)), c = 1.949.</summary>
    public static double Critical(int n, int m) => 1.949 * Math.Sqrt((n + m) / ((double)n * m));
}
