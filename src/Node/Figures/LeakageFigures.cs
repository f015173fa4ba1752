using QSI.Node.Output;

namespace QSI.Node.Figures;

/// <summary>
/// The leakage figures of <c>qsi leakage</c>: the map over gain and photon number with the
/// weight-against-data trade-off, and the loss, noise and layer-width panels (PROTOCOL.md section 4).
/// </summary>
internal static class LeakageFigures
{
    /// <summary>Transmissions of the loss panel: 0.1 to 1 in steps of 0.05.</summary>
    public static readonly double[] Transmissions = [.. Enumerable.Range(0, 19).Select(i => Math.Round(0.1 + 0.05 * i, 10))];

    /// <summary>Added excess noise per mode of the noise panel, SNU: 0 to 0.05 in steps of 0.0025.</summary>
    public static readonly double[] Excesses = [.. Enumerable.Range(0, 21).Select(i => Math.Round(0.0025 * i, 10))];

    /// <summary>Modes per row of the layer panel: 10 to 1000, evenly in log.</summary>
    public static readonly int[] ModeCounts = [.. Enumerable.Range(0, 21).Select(i => (int)Math.Round(10 * Math.Pow(100, i / 20.0))).Distinct()];

    /// <summary>Gains over which each trade-off line runs: 1.05 to 6, evenly in log.</summary>
    public static readonly double[] TradeoffGains = [.. Enumerable.Range(0, 40).Select(i => 1.05 * Math.Pow(6 / 1.05, i / 39.0))];

    /// <summary>map.csv, weight-map.png, data-map.png, tradeoff.csv and tradeoff.png in <paramref name="directory"/>.</summary>
    public static LeakageFiguresReport Map(
        string directory, double[] gains, double[] photons, double transmission, double excess, int modes, AccuracyContour? contour)
    {
        var grid = gains.SelectMany(g => photons.Select(mu => LeakagePoint.At(g, mu, transmission, excess, modes))).ToArray();
        var lines = photons.Select(mu => (IReadOnlyList<LeakagePoint>)TradeoffGains.Select(g => LeakagePoint.At(g, mu, transmission, excess, modes)).ToArray()).ToArray();
        var setting = $"n' = {modes}, T = {Display.Number(transmission)}, added excess {Display.Number(excess)}";
        var files = new Written(directory);
        files.Add("map.csv", LeakageCsv.Format(grid));
        files.Add("weight-map.png", LeakageMapPlot.Render(
            gains, photons, (g, mu) => LeakagePoint.At(g, mu, transmission, excess, modes).WeightBitsPerWeight,
            $"Weight leakage to the client, I_w / 2 per weight ({setting})", "bits per weight", contour));
        files.Add("data-map.png", LeakageMapPlot.Render(
            gains, photons, (g, mu) => LeakagePoint.At(g, mu, transmission, excess, modes).DataBits,
            $"Data leakage to the server, I_x per element (n' = {modes})", "bits per element", contour));
        files.Add("tradeoff.csv", LeakageCsv.Format(lines.SelectMany(l => l)));
        files.Add("tradeoff.png", TradeoffPlot.Render(lines, modes, transmission));
        return files.Report(grid, grid.Length, contour);
    }

    /// <summary>loss, noise and layers (CSV and PNG each) in <paramref name="directory"/>, at one gain and photon number.</summary>
    public static LeakageFiguresReport Panels(string directory, double gain, double photons, double transmission, double excess, int modes)
    {
        var loss = Transmissions.Select(t => LeakagePoint.At(gain, photons, t, excess, modes)).ToArray();
        var noise = Excesses.Select(e => LeakagePoint.At(gain, photons, transmission, e, modes)).ToArray();
        var layers = ModeCounts.Select(n => LeakagePoint.At(gain, photons, transmission, excess, n)).ToArray();
        var at = $"G = {Display.Number(gain)}, μ = {Display.Number(photons)}";
        var files = new Written(directory);
        files.Add("loss.csv", LeakageCsv.Format(loss));
        files.Add("loss.png", PanelPlot.Render(loss, p => p.Transmission, logX: false,
            $"Leakage against channel loss ({at}, n' = {modes}, added excess {Display.Number(excess)})", "channel transmission T"));
        files.Add("noise.csv", LeakageCsv.Format(noise));
        files.Add("noise.png", PanelPlot.Render(noise, p => p.Excess, logX: false,
            $"Leakage against added excess noise ({at}, n' = {modes}, T = {Display.Number(transmission)})", "excess noise added per mode, SNU"));
        files.Add("layers.csv", LeakageCsv.Format(layers));
        files.Add("layers.png", PanelPlot.Render(layers, p => p.Modes, logX: true,
            $"Leakage against modes per row ({at}, T = {Display.Number(transmission)})", "modes n' per row (neurons in / 2), log scale"));
        return files.Report([.. loss, .. noise, .. layers], loss.Length + noise.Length + layers.Length, contour: null);
    }

    private sealed class Written(string directory)
    {
        private readonly List<string> _paths = [];

        public void Add(string name, byte[] bytes)
        {
            var path = Path.Combine(directory, name);
            OutputFiles.WriteAtomically(path, bytes);
            _paths.Add(path);
        }

        public LeakageFiguresReport Report(IReadOnlyList<LeakagePoint> points, int rows, AccuracyContour? contour) => new(
            directory, _paths, rows,
            points.Min(p => p.WeightBitsPerWeight), points.Max(p => p.WeightBitsPerWeight),
            points.Min(p => p.DataBits), points.Max(p => p.DataBits),
            contour?.Accuracy, contour?.SignalFactor);
    }
}
