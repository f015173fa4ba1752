using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Rounds;

public class UpdateFoldTests
{
    private static readonly string[] Clients = ["client-0", "client-1", "client-2", "client-3"];

    private static TaskProgress Fit(string clientId, int samples) =>
        TaskProgress.Issued(new TaskIssue(clientId, RoundTask.For(1, TaskKind.Fit, new LocalTrainingPlan(), samples), new ClearTaskLight([]), [], [], null));

    private static float[] Delta(int seed) { var r = new Random(seed); return [.. Enumerable.Range(0, 97).Select(_ => (float)(r.NextDouble() - 0.5))]; }

    [Fact]
    public void Updates_folded_as_they_come_in_any_order_make_the_mean_of_all_of_them_bit_for_bit()
    {
        var tasks = Clients.Select((c, k) => Fit(c, 10 + 7 * k)).ToArray();
        var updates = tasks.Select((t, k) => new ClientUpdate(t.ClientId, Delta(k), t.Samples)).ToArray();
        var fold = new UpdateFold(tasks, parameters: 97, maxNorm: null);

        // They arrive out of order: the third first, then the last, ...: each is folded at once.
        foreach (var (k, count) in new[] { (2, 1), (3, 2), (0, 3), (1, 4) })
        {
            tasks[k].Trained(updates[k], 0.5);
            fold.Advance();
            Assert.Equal(count, fold.Folded);
            Assert.Null(tasks[k].Update);
        }

        Assert.All(tasks, t => Assert.True(t.IsFolded && t.Update is null && t.IsSettled && t.WouldCount));
        var mean = fold.Mean()!;
        Assert.Equal(Aggregation.WeightedMean(updates), mean.Delta);
        Assert.Equal(updates.Sum(u => u.Samples), mean.Samples);
        // A strategy given the folded mean moves the model exactly as given every update.
        float[] all = new float[97], folded = new float[97];
        new FedAvg().Aggregate(all, updates);
        new FedAvg().Aggregate(folded, [mean]);
        Assert.Equal(all, folded);
    }

    [Fact]
    public void A_folded_update_stays_counted_when_its_client_leaves()
    {
        var tasks = Clients.Select(c => Fit(c, 5)).ToArray();
        var fold = new UpdateFold(tasks, 97, maxNorm: null);

        tasks[1].Trained(new ClientUpdate(tasks[1].ClientId, Delta(1), 5), 0.5);
        tasks[0].Left("it left the federation");
        fold.Advance();
        Assert.Equal(1, fold.Folded);

        // Its client leaving afterwards does not take a folded update out of the aggregate.
        tasks[1].Left("it left the federation");
        Assert.Equal(ClientRoundStatus.Aggregated, tasks[1].Close(TimeSpan.FromSeconds(1)).Status);
        Assert.Equal(ClientRoundStatus.DroppedOut, tasks[0].Close(TimeSpan.FromSeconds(1)).Status);
    }

    [Fact]
    public void An_update_that_fails_the_check_is_rejected_not_folded()
    {
        var tasks = Clients.Take(2).Select(c => Fit(c, 5)).ToArray();
        var fold = new UpdateFold(tasks, 97, maxNorm: 1e-3);
        tasks[0].Trained(new ClientUpdate(tasks[0].ClientId, Delta(0), 5), 0.5);
        var nan = Delta(1);
        nan[3] = float.NaN;
        tasks[1].Trained(new ClientUpdate(tasks[1].ClientId, nan, 5), 0.5);

        fold.Advance();

        Assert.Equal(0, fold.Folded);
        Assert.Null(fold.Mean());
        Assert.All(tasks, t => Assert.Equal(ClientRoundStatus.Rejected, t.Close(TimeSpan.FromSeconds(1)).Status));
    }
}
