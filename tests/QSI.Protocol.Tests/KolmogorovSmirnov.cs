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

    /// <summary>
    /// Asymptotic p-value of D for samples of sizes n and m: the Kolmogorov distribution's tail
    /// 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2), lambda = (sqrt(N) + 0.12 + 0.11/sqrt(N)) D, N = n m/(n + m).
    /// </summary>
    public static double PValue(double d, int n, int m)
    {
        var root = Math.Sqrt(n * (double)m / (n + m));
        var lambda = (root + 0.12 + 0.11 / root) * d;
        double sum = 0;
        for (var k = 1; k <= 100; k++) sum += (k % 2 == 1 ? 2 : -2) * Math.Exp(-2 * k * k * lambda * lambda);
        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>Critical D at significance 0.001: c(a) sqrt((n + m)/(n m)), c = 1.949.</summary>
    public static double Critical(int n, int m) => 1.949 * Math.Sqrt((n + m) / ((double)n * m));
}
