using MathNet.Numerics;

namespace QSI.Federation.Privacy;

/// <summary>
/// Renyi differential privacy of the sampled Gaussian mechanism (Mironov, Talwar, Zhang 2019,
/// "Renyi differential privacy of the sampled Gaussian mechanism"), composed over rounds and
/// converted to (epsilon, delta), as TF Privacy's rdp_accountant and Opacus's analysis/rdp.py do:
/// the integer-order sum of section 3.3 and the fractional-order series of section 3.4, in log
/// space. Each round adds its RDP at every order; epsilon is the best order's conversion.
/// </summary>
/// <remarks>
/// The conversion is the improved one of Balle et al. 2020 ("Hypothesis testing interpretations and
/// Renyi differential privacy", Proposition 12; also Canonne, Kamath, Steinke 2020, equation 20):
/// epsilon = rdp + log(1 - 1/a) - log(delta a) / (a - 1), with delta &lt;= sqrt(1 - exp(-rdp)) for
/// the orders near 1, exactly as TF Privacy computes it; <see cref="ClassicEpsilon"/> is the older
/// rdp - log(delta) / (a - 1) of Mironov 2017, for comparison.
/// </remarks>
public sealed class RenyiAccountant
{
    private readonly double[] _orders;
    private readonly double[] _rdp;

    /// <summary>Opacus's default orders: 1.1 to 10.9 in steps of 0.1, then 12 to 63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>An accountant over <paramref name="orders"/> (each above 1), none spent yet.</summary>
    public RenyiAccountant(IReadOnlyList<double>? orders = null)
    {
        _orders = [.. orders ?? DefaultOrders];
        if (_orders.Length == 0 || _orders.Any(a => !(a > 1))) throw new ArgumentException("Renyi orders must be above 1");
        _rdp = new double[_orders.Length];
    }

    /// <summary>The orders.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>The RDP spent so far at each order.</summary>
    public IReadOnlyList<double> Rdp => _rdp;

    /// <summary>Adds <paramref name="steps"/> rounds at sampling rate <paramref name="q"/> and noise multiplier <paramref name="noiseMultiplier"/>.</summary>
    public void Compose(double q, double noiseMultiplier, int steps = 1)
    {
        for (var k = 0; k < _orders.Length; k++) _rdp[k] += steps * Of(q, noiseMultiplier, _orders[k]);
    }

    /// <summary>The (epsilon, delta) guarantee of what was spent, for <paramref name="delta"/>, and the order that gives it.</summary>
    public (double Epsilon, double Order) Spent(double delta) => Epsilon(_orders, _rdp, delta);

    /// <summary>Epsilon once one more round at <paramref name="q"/> and <paramref name="noiseMultiplier"/> were spent; nothing is added.</summary>
    public double EpsilonAfter(double q, double noiseMultiplier, double delta) =>
        Epsilon(_orders, [.. _orders.Select((a, k) => _rdp[k] + Of(q, noiseMultiplier, a))], delta).Epsilon;

    /// <summary>RDP at <paramref name="order"/> of one sampled Gaussian query: rate <paramref name="q"/>, std <paramref name="noiseMultiplier"/> times the sensitivity.</summary>
    public static double Of(double q, double noiseMultiplier, double order)
    {
        if (q is < 0 or > 1) throw new ArgumentException($"a sampling rate is in [0, 1]; got {q}");
        if (q == 0) return 0;
        if (!(noiseMultiplier > 0)) return double.PositiveInfinity;
        if (q == 1) return order / (2 * noiseMultiplier * noiseMultiplier);
        if (double.IsPositiveInfinity(order)) return double.PositiveInfinity;
        return LogA(q, noiseMultiplier, order) / (order - 1);
    }

    /// <summary>The improved conversion (see the remarks) minimized over the orders.</summary>
    public static (double Epsilon, double Order) Epsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta)
    {
        if (!(delta > 0)) throw new ArgumentException("delta must be positive");
        var best = (Epsilon: double.PositiveInfinity, Order: orders[0]);
        for (var k = 0; k < orders.Count; k++)
        {
            var (a, r) = (orders[k], rdp[k]);
            var eps = delta * delta + ExpM1(-r) >= 0 ? 0
                : a > 1.01 ? r + Log1P(-1 / a) - Math.Log(delta * a) / (a - 1)
                : double.PositiveInfinity;
            if (eps < best.Epsilon) best = (eps, a);
        }
        return (Math.Max(0, best.Epsilon), best.Order);
    }

    /// <summary>The classic conversion rdp - log(delta) / (a - 1) (Mironov 2017, Proposition 3) minimized over the orders.</summary>
    public static (double Epsilon, double Order) ClassicEpsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta)
    {
        var best = (Epsilon: double.PositiveInfinity, Order: orders[0]);
        for (var k = 0; k < orders.Count; k++)
        {
            var eps = rdp[k] - Math.Log(delta) / (orders[k] - 1);
            if (eps < best.Epsilon) best = (eps, orders[k]);
        }
        return best;
    }

    private static double LogA(double q, double sigma, double alpha) =>
        alpha == Math.Floor(alpha) ? LogAInteger(q, sigma, (int)alpha) : LogAFractional(q, sigma, alpha);

    // A_alpha = sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2))  (section 3.3).
    private static double LogAInteger(double q, double sigma, int alpha)
    {
        var logA = double.NegativeInfinity;
        for (var i = 0; i <= alpha; i++)
        {
            var logCoefficient = SpecialFunctions.GammaLn(alpha + 1) - SpecialFunctions.GammaLn(i + 1) - SpecialFunctions.GammaLn(alpha - i + 1)
                + i * Math.Log(q) + (alpha - i) * Math.Log(1 - q);
            logA = LogAdd(logA, logCoefficient + (i * (double)i - i) / (2 * sigma * sigma));
        }
        return logA;
    }

    // The two halves of A_alpha, the integrals below and above z0, as series of erfc terms (section 3.4).
    private static double LogAFractional(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        var z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        var coefficient = 1.0;
        for (var i = 0; ; i++)
        {
            if (i > 0) coefficient *= (alpha - (i - 1)) / i;
            var logCoefficient = Math.Log(Math.Abs(coefficient));
            var j = alpha - i;
            var logT0 = logCoefficient + i * Math.Log(q) + j * Math.Log(1 - q);
            var logT1 = logCoefficient + j * Math.Log(q) + i * Math.Log(1 - q);
            var logE0 = Math.Log(0.5) + LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            var logE1 = Math.Log(0.5) + LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            var logS0 = logT0 + (i * (double)i - i) / (2 * sigma * sigma) + logE0;
            var logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (coefficient > 0)
            {
                logA0 = LogAdd(logA0, logS0);
                logA1 = LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogSubtract(logA0, logS0);
                logA1 = LogSubtract(logA1, logS1);
            }
            if (Math.Max(logS0, logS1) < -30) break;
        }
        return LogAdd(logA0, logA1);
    }

    // log erfc(x), with the asymptotic series where erfc underflows.
    private static double LogErfc(double x)
    {
        var r = SpecialFunctions.Erfc(x);
        if (r > 0) return Math.Log(r);
        return -Math.Log(Math.PI) / 2 - Math.Log(x) - x * x - 0.5 * Math.Pow(x, -2) + 0.625 * Math.Pow(x, -4)
            - 37.0 / 24.0 * Math.Pow(x, -6) + 353.0 / 64.0 * Math.Pow(x, -8);
    }

    private static double LogAdd(double x, double y)
    {
        var (a, b) = (Math.Min(x, y), Math.Max(x, y));
        return double.IsNegativeInfinity(a) ? b : Log1P(Math.Exp(a - b)) + b;
    }

    private static double LogSubtract(double x, double y)
    {
        if (x < y) throw new ArithmeticException("a log-space difference came out negative");
        if (double.IsNegativeInfinity(y)) return x;
        if (x == y) return double.NegativeInfinity;
        var d = ExpM1(x - y);
        return double.IsInfinity(d) ? x : Math.Log(d) + y;
    }

    // log(1 + x) and exp(x) - 1 without the cancellation of the naive forms (Kahan's corrections).
    private static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1) return x;
        if (u - 1 == -1) return -1;
        return double.IsPositiveInfinity(u) ? u : (u - 1) * x / Math.Log(u);
    }
}
