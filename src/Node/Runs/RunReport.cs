using System.Globalization;
using System.Text;
using QSI.Federation.Rounds;
using QSI.Node.Output;
using QSI.Node.Reports;

namespace QSI.Node.Runs;

/// <summary>report.md: the run's outcome, its rounds, its clients, its plots and its settings, for people.</summary>
internal static class RunReport
{
    public static string Render(SimulationReport summary, FederationSettings settings, IReadOnlyList<RoundRecord> history, string config)
    {
        var text = new StringBuilder();
        var kind = summary.Plain ? "plain (no optical channel)" : $"secure, mu = {Display.Number(summary.Photons)}, G = {Display.Number(summary.Gain)}";
        text.AppendLine($"# Federated training: {summary.Strategy}, {summary.Clients} clients, {summary.Partition}, {kind}");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| test accuracy (server, digital) | {Display.Percent(summary.TestAccuracy)} |");
        text.AppendLine($"| test accuracy through the protocol | {Display.Percent(summary.SecureTestAccuracy)} |");
        if (summary.FederatedAccuracy is { } federated) text.AppendLine($"| federated accuracy (clients' held-out data) | {Display.Percent(federated)} |");
        text.AppendLine($"| rounds | {summary.Rounds} of {settings.Rounds}{(summary.ResumedFrom is { } r ? $" (resumed after round {r})" : "")} |");
        text.AppendLine($"| seconds per round | {summary.SecondsPerRound:F2} |");
        text.AppendLine($"| clients flagged by the verifier | {(summary.FlaggedClients.Count == 0 ? "none" : string.Join(", ", summary.FlaggedClients))} |");
        text.AppendLine($"| stragglers | {(summary.Stragglers.Count == 0 ? "none" : string.Join(", ", summary.Stragglers))} |");
        text.AppendLine($"| updates excluded (flagged light) | {summary.ExcludedUpdates} |");
        text.AppendLine($"| messages rejected (forged, replayed, for another's task) | {summary.RejectedMessages} |");
        text.AppendLine($"| updates rejected (malformed, not finite, wrong shape, beyond the norm limit) | {summary.RejectedUpdates} |");
        if (summary.Epsilon is { } epsilon)
            text.AppendLine($"| differential privacy (user level) | epsilon {Display.Number(epsilon)} at delta {Display.Number(summary.Delta ?? 0)}{(summary.Stopped is { } s ? $"; {s}" : "")} |");
        if (!summary.Plain)
        {
            text.AppendLine($"| most weight leakage of any client | {Display.Number(summary.MaxWeightBitsPerWeight ?? 0)} bits per weight |");
            text.AppendLine($"| most data leakage of any client | {Display.Number(summary.MaxDataBits ?? 0)} bits per element |");
        }
        text.AppendLine();
        if (!summary.Plain)
        {
            text.AppendLine(settings.WeightAccounting == Federation.Privacy.WeightAccounting.Coherent
                ? "Leakage bounds add up over frames and rounds; the many copies of one frame are bounded as one coherent state of their summed photons (docs/FEDERATED.md, \"Leakage accounting\")."
                : "Leakage bounds add up linearly over every use of every frame (PROTOCOL.md section 4; docs/FEDERATED.md, \"Leakage accounting\").");
            text.AppendLine();
        }
        text.AppendLine("![accuracy and loss](accuracy.png)");
        if (!summary.Plain)
        {
            text.AppendLine();
            text.AppendLine("![weight leakage](weight-leakage.png) ![data leakage](data-leakage.png)");
            text.AppendLine();
            text.AppendLine("![excess noise](excess-noise.png)");
        }
        text.AppendLine();
        text.AppendLine("## Rounds");
        text.AppendLine();
        text.AppendLine("| round | test acc | test loss | fed acc | train loss | aggregated | flagged | stragglers | s |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---|---|---:|");
        foreach (var round in history)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round.Round} | {Display.Percent(round.TestAccuracy)} | {round.TestLoss:F4} | {(round.FederatedAccuracy is { } f ? Display.Percent(f) : "-")} | "
                + $"{(round.TrainLoss is { } t ? t.ToString("F4", CultureInfo.InvariantCulture) : "-")} | {round.Aggregated.Count()}/{round.Fit.Count} | "
                + $"{string.Join(' ', round.Flagged)} | {string.Join(' ', round.Stragglers)} | {round.Seconds:F1} |"));
        }
        var last = history.Count > 0 ? history[^1] : null;
        if (last is not null)
        {
            text.AppendLine();
            text.AppendLine($"## Clients in round {last.Round}");
            text.AppendLine();
            text.AppendLine("| client | fit | samples | train loss | eps-hat | score | weight bits | data bits | reason |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var c in last.Fit)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.ClientId} | {c.Status} | {c.Samples} | {(c.Loss is { } l ? l.ToString("F4", CultureInfo.InvariantCulture) : "-")} | "
                    + $"{(c.ExcessNoise is { } e ? Display.Number(e) : "-")} | {(c.ExcessNoiseScore is { } z ? z.ToString("F2", CultureInfo.InvariantCulture) : "-")} | "
                    + $"{(c.WeightBitsPerWeight is { } w ? Display.Number(w) : "-")} | {(c.DataBits is { } d ? Display.Number(d) : "-")} | {c.Reason ?? ""} |"));
            }
        }
        text.AppendLine();
        text.AppendLine("## Settings");
        text.AppendLine();
        text.AppendLine("```");
        text.Append(config);
        text.AppendLine("```");
        return text.ToString();
    }
}
