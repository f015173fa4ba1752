using System.Globalization;
using System.Text;
using QSI.Federation.Rounds;

namespace QSI.Node.Runs;

/// <summary>metrics.csv: one row per round; empty cells where a quantity does not apply (plain runs, no evaluation).</summary>
internal static class MetricsCsv
{
    /// <summary>The header; the column names are an interface, like the JSON fields.</summary>
    public const string Header =
        "round,testAccuracy,testLoss,trainLoss,federatedAccuracy,federatedLoss,modelUpdated,aggregated,flagged,stragglers,droppedOut,budgetSpent,"
        + "meanExcessNoise,maxExcessNoiseScore,maxWeightBitsPerWeight,maxDataBits,excludedUpdates,rejectedMessages,rejectedUpdates,epsilon,seconds";

    /// <summary>The whole file for <paramref name="history"/>.</summary>
    public static string Render(IEnumerable<RoundRecord> history)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var r in history)
        {
            var fit = r.Fit;
            var noise = fit.Where(c => c.ExcessNoise is not null).ToArray();
            text.AppendJoin(',',
                r.Round.ToString(CultureInfo.InvariantCulture),
                Number(r.TestAccuracy), Number(r.TestLoss), Number(r.TrainLoss), Number(r.FederatedAccuracy), Number(r.FederatedLoss),
                r.ModelUpdated ? "true" : "false",
                Count(fit, ClientRoundStatus.Aggregated), r.Flagged.Count().ToString(CultureInfo.InvariantCulture),
                r.Stragglers.Count().ToString(CultureInfo.InvariantCulture), Count(fit, ClientRoundStatus.DroppedOut),
                (fit.Count(c => c.Status is ClientRoundStatus.WeightBudgetSpent or ClientRoundStatus.DataBudgetSpent)).ToString(CultureInfo.InvariantCulture),
                Number(noise.Length == 0 ? null : noise.Average(c => c.ExcessNoise!.Value)),
                Number(noise.Length == 0 ? null : noise.Max(c => c.ExcessNoiseScore!.Value)),
                Number(r.MaxWeightBitsPerWeight), Number(r.MaxDataBits),
                r.ExcludedUpdates.ToString(CultureInfo.InvariantCulture), r.RejectedMessages.ToString(CultureInfo.InvariantCulture),
                r.RejectedUpdates.ToString(CultureInfo.InvariantCulture), Number(r.Epsilon), Number(r.Seconds));
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Count(IEnumerable<ClientRoundOutcome> outcomes, ClientRoundStatus status) =>
        outcomes.Count(c => c.Status == status).ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
