using QSI.Federation.Rounds;
using ScottPlot;

namespace QSI.Node.Runs;

/// <summary>
/// The run's plots, redrawn after every round: accuracy and loss per round, the cumulative
/// leakage of every client (weights and data), and the verifier's excess noise per client and round.
/// </summary>
internal static class RunPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>File names and PNG bytes of every plot.</summary>
    public static IEnumerable<(string Name, byte[] Png)> Render(FederationSettings settings, IReadOnlyList<RoundRecord> history)
    {
        yield return ("accuracy.png", Accuracy(history));
        if (settings.Plain) yield break;
        yield return ("weight-leakage.png", Leakage(history, c => c.WeightBitsPerWeight, "weight leakage, bits per weight (most exposed layer)",
            "Cumulative weight leakage per client (Holevo bound)"));
        yield return ("data-leakage.png", Leakage(history, c => c.DataBits, "data leakage, bits per element (most exposed vector)",
            "Cumulative data leakage per client (Cramér-Rao bound)"));
        yield return ("excess-noise.png", ExcessNoise(settings, history));
    }

    private static byte[] Accuracy(IReadOnlyList<RoundRecord> history)
    {
        var plot = new Plot();
        double[] rounds = [.. history.Select(r => (double)r.Round)];
        var test = plot.Add.Scatter(rounds, history.Select(r => r.TestAccuracy).ToArray());
        test.LegendText = "test accuracy (server, digital)";
        test.LineWidth = 2;
        var federated = history.Where(r => r.FederatedAccuracy is not null).ToArray();
        if (federated.Length > 0)
        {
            var fed = plot.Add.Scatter(federated.Select(r => (double)r.Round).ToArray(), federated.Select(r => r.FederatedAccuracy!.Value).ToArray());
            fed.LegendText = "federated accuracy (clients' held-out data)";
            fed.LinePattern = LinePattern.Dashed;
        }
        var loss = plot.Add.Scatter(rounds, history.Select(r => r.TestLoss).ToArray());
        loss.LegendText = "test loss (right axis)";
        loss.Axes.YAxis = plot.Axes.Right;
        loss.LinePattern = LinePattern.Dotted;
        var trained = history.Where(r => r.TrainLoss is not null).ToArray();
        if (trained.Length > 0)
        {
            var train = plot.Add.Scatter(trained.Select(r => (double)r.Round).ToArray(), trained.Select(r => r.TrainLoss!.Value).ToArray());
            train.LegendText = "train loss (right axis)";
            train.Axes.YAxis = plot.Axes.Right;
            train.LinePattern = LinePattern.DenselyDashed;
        }
        plot.Axes.Right.Label.Text = "cross-entropy";
        plot.Title("Accuracy and loss per round");
        plot.XLabel("round");
        plot.YLabel("accuracy");
        plot.ShowLegend(Alignment.MiddleRight);
        return Png(plot);
    }

    private static byte[] Leakage(IReadOnlyList<RoundRecord> history, Func<ClientRoundOutcome, double?> value, string label, string title)
    {
        var plot = new Plot();
        var clients = history.SelectMany(r => r.Fit.Concat(r.Evaluate)).Select(c => c.ClientId).Distinct().Order(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            var points = history
                .Select(r => (r.Round, Value: r.Fit.Concat(r.Evaluate).Where(c => c.ClientId == client).Select(value).Max()))
                .Where(p => p.Value is not null).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => (double)p.Round).ToArray(), points.Select(p => p.Value!.Value).ToArray());
            line.LegendText = client;
            line.MarkerSize = 3;
        }
        plot.Title(title);
        plot.XLabel("round");
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    private static byte[] ExcessNoise(FederationSettings settings, IReadOnlyList<RoundRecord> history)
    {
        var plot = new Plot();
        var checks = history.SelectMany(r => r.Fit.Where(c => c.ExcessNoise is not null).Select(c => (r.Round, c))).ToArray();
        var honest = checks.Where(p => p.c.Status != ClientRoundStatus.Flagged).ToArray();
        var flagged = checks.Where(p => p.c.Status == ClientRoundStatus.Flagged).ToArray();
        if (honest.Length > 0)
        {
            var accepted = plot.Add.ScatterPoints(honest.Select(p => (double)p.Round).ToArray(), honest.Select(p => p.c.ExcessNoise!.Value).ToArray());
            accepted.LegendText = "accepted";
            accepted.MarkerSize = 5;
        }
        if (flagged.Length > 0)
        {
            var caught = plot.Add.ScatterPoints(flagged.Select(p => (double)p.Round).ToArray(), flagged.Select(p => p.c.ExcessNoise!.Value).ToArray());
            caught.LegendText = "flagged";
            caught.MarkerSize = 7;
            caught.MarkerShape = MarkerShape.FilledDiamond;
        }
        var gain = settings.Channel!.Gain;
        var expected = plot.Add.HorizontalLine((2 * gain - 2) / gain);
        expected.LegendText = $"honest device, eps0 = (2G-2)/G = {(2 * gain - 2) / gain:G3}";
        expected.LinePattern = LinePattern.Dashed;
        plot.Title("Verifier's excess noise of each client's light, per round (fit phase)");
        plot.XLabel("round");
        plot.YLabel("excess noise eps-hat, SNU per row use");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    private static byte[] Png(Plot plot)
    {
        using var image = plot.GetImage(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }
}
