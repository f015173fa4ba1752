using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Strategies;

public class StrategyTests
{
    private static ClientUpdate Update(string id, int samples, params float[] delta) => new(id, delta, samples);

    [Fact]
    public void Fedavg_moves_the_parameters_by_the_sample_weighted_mean_delta()
    {
        var parameters = new float[] { 1, 1 };
        Strategy.Create("fedavg").Aggregate(parameters, [Update("a", 1, 1, 0), Update("b", 3, -1, 4)]);
        Assert.Equal([1 + (1 - 3) / 4f, 1 + 12 / 4f], parameters);
    }

    [Fact]
    public void Fedsgd_and_fedprox_adjust_the_clients_plan_and_average_like_fedavg()
    {
        var plan = new LocalTrainingPlan { Epochs = 3 };
        Assert.Equal((true, 1), (Strategy.Create("fedsgd").ConfigureClients(plan).SingleStep, Strategy.Create("fedsgd").ConfigureClients(plan).Epochs));
        Assert.Equal(0.3, Strategy.Create("fedprox", new StrategyOptions { ProximalMu = 0.3 }).ConfigureClients(plan).ProximalTerm);
        var parameters = new float[] { 0 };
        Strategy.Create("fedprox").Aggregate(parameters, [Update("a", 1, 2), Update("b", 1, 4)]);
        Assert.Equal([3f], parameters);
    }

    [Fact]
    public void Fedavgm_without_momentum_at_rate_one_is_fedavg_and_with_momentum_remembers_past_rounds()
    {
        var plain = new float[] { 0 };
        var fedavgm = Strategy.Create("fedavgm", new StrategyOptions { ServerMomentum = 0, ServerLearningRate = 1 });
        fedavgm.Aggregate(plain, [Update("a", 1, 2)]);
        Assert.Equal([2f], plain);

        var parameters = new float[] { 0 };
        var momentum = Strategy.Create("fedavgm", new StrategyOptions { ServerMomentum = 0.5, ServerLearningRate = 1 });
        momentum.Aggregate(parameters, [Update("a", 1, 2)]);
        momentum.Aggregate(parameters, [Update("a", 1, 2)]);
        // v1 = 2, x1 = 2; v2 = 0.5 * 2 + 2 = 3, x2 = 5.
        Assert.Equal([5f], parameters);
    }

    [Theory]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    [InlineData("fedadagrad")]
    public void The_adaptive_strategies_take_their_first_step_of_eta_times_the_sign_of_the_delta(string name)
    {
        // With m and v zero: m = (1 - b1) d, v = (1 - b2) d^2 (Adam, Yogi) or d^2 (Adagrad), and
        // the step eta m / (sqrt v + tau) is about eta (1 - b1)/sqrt(1 - b2) (or eta) times sign(d).
        var options = new StrategyOptions { ServerLearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.99, Tau = 1e-9 };
        var parameters = new float[] { 1, 1 };
        Strategy.Create(name, options).Aggregate(parameters, [Update("a", 1, 0.3f, -0.002f)]);
        var step = name == "fedadagrad" ? 0.01 : 0.01 * 0.1 / Math.Sqrt(0.01);
        Assert.Equal(1 + step, parameters[0], 1e-5);
        Assert.Equal(1 - step, parameters[1], 1e-5);
    }

    [Fact]
    public void Fedmedian_and_fedtrimmedavg_are_not_dragged_by_one_wild_update()
    {
        var updates = new[] { Update("a", 1, 1), Update("b", 1, 2), Update("c", 1, 3), Update("d", 1, 4), Update("e", 1, 1000) };
        var median = new float[] { 0 };
        Strategy.Create("fedmedian").Aggregate(median, updates);
        Assert.Equal([3f], median);
        var trimmed = new float[] { 0 };
        Strategy.Create("fedtrimmedavg", new StrategyOptions { TrimFraction = 0.2 }).Aggregate(trimmed, updates);
        Assert.Equal([3f], trimmed);
    }

    [Fact]
    public void Krum_picks_an_update_of_the_honest_cluster_and_multikrum_averages_the_best()
    {
        var updates = new[] { Update("a", 1, 1, 1), Update("b", 1, 1.1f, 0.9f), Update("c", 1, 0.9f, 1.1f), Update("d", 1, 1, 1.05f), Update("e", 1, 50, -50) };
        var krum = new float[] { 0, 0 };
        Strategy.Create("krum", new StrategyOptions { ByzantineClients = 1 }).Aggregate(krum, updates);
        Assert.InRange(krum[0], 0.9, 1.1);
        var multi = new float[] { 0, 0 };
        Strategy.Create("multikrum", new StrategyOptions { ByzantineClients = 1, KrumKeep = 4 }).Aggregate(multi, updates);
        Assert.Equal(1.0, multi[0], 1e-6);
        Assert.Equal(1.0125, multi[1], 1e-6);
    }

    [Fact]
    public void Bulyan_selects_n_minus_2f_by_krum_and_averages_the_beta_values_closest_to_each_median()
    {
        // f = 1, n = 7: Krum picks 3, 4, 2, 5, 1 in turn (1000 is never near enough), theta = 5;
        // the beta = 3 values closest to their median 3 are 3, 2 and 4.
        var updates = new[] { 1f, 2, 3, 4, 5, 6, 1000 }.Select((v, k) => Update($"{(char)('a' + k)}", 1, v)).ToArray();
        var parameters = new float[] { 0 };
        Strategy.Create("bulyan", new StrategyOptions { ByzantineClients = 1 }).Aggregate(parameters, updates);
        Assert.Equal([3f], parameters);
    }

    [Fact]
    public void Bulyan_is_its_definition_on_random_updates_with_a_third_of_them_wild()
    {
        // 11 updates of 6 coordinates, f = 2 (4f + 3 = 11); client 0 and 1 send far-off vectors.
        var rng = new Random(4);
        var updates = Enumerable.Range(0, 11)
            .Select(k => Update($"c{k:D2}", 1 + k, [.. Enumerable.Range(0, 6).Select(_ => (float)(rng.NextDouble() + (k < 2 ? 30 * (k + 1) : 0)))]))
            .ToArray();
        var parameters = new float[6];
        Strategy.Create("bulyan", new StrategyOptions { ByzantineClients = 2 }).Aggregate(parameters, updates);

        // The definition, written plainly: theta = 7 picks of Krum among those left, then per
        // coordinate the mean of the beta = 3 selected values nearest their median.
        var left = updates.ToList();
        var selected = new List<ClientUpdate>();
        while (selected.Count < 7)
        {
            double Score(ClientUpdate u) => left.Where(o => o != u)
                .Select(o => u.Delta.Zip(o.Delta, (a, b) => (double)(a - b) * (a - b)).Sum()).Order().Take(Math.Max(1, left.Count - 4)).Sum();
            var best = left.MinBy(Score)!;
            selected.Add(best);
            left.Remove(best);
        }
        Assert.DoesNotContain(selected, u => u.ClientId is "c00" or "c01");
        for (var k = 0; k < 6; k++)
        {
            var values = selected.Select(u => (double)u.Delta[k]).Order().ToArray();
            var expected = values.OrderBy(v => Math.Abs(v - values[3])).Take(3).Average();
            Assert.Equal(expected, parameters[k], 1e-6);
        }
    }

    [Fact]
    public void Bulyan_refuses_fewer_than_4f_plus_3_updates_and_a_federation_that_waits_for_fewer_clients()
    {
        var updates = Enumerable.Range(0, 10).Select(k => Update($"c{k}", 1, k)).ToArray();
        var bulyan = Strategy.Create("bulyan", new StrategyOptions { ByzantineClients = 2 });
        Assert.Equal(11, bulyan.MinimumUpdates);
        Assert.Contains("bulyan tolerating f = 2 Byzantine clients needs n >= 4f + 3 = 11 updates; the round has 10",
            Assert.Throws<ArgumentException>(() => bulyan.Aggregate(new float[1], updates)).Message);
        var settings = new QSI.Federation.Rounds.FederationSettings { Strategy = "bulyan", StrategyOptions = new StrategyOptions { ByzantineClients = 3 }, MinAvailableClients = 10 };
        Assert.Contains("bulyan needs at least 15 updates a round, and the federation waits for only 10 clients",
            Assert.Throws<ArgumentException>(() => settings.Validated()).Message);
        Assert.Equal(1, Strategy.Create("krum").MinimumUpdates);
    }

    [Theory]
    [InlineData("fedavgm")]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    [InlineData("fedadagrad")]
    public void A_strategy_restored_from_its_saved_state_continues_exactly(string name)
    {
        var options = new StrategyOptions { ServerLearningRate = 0.01 };
        var first = Strategy.Create(name, options);
        var a = new float[] { 0.5f, -0.5f };
        first.Aggregate(a, [Update("a", 2, 0.1f, 0.2f)]);
        var second = Strategy.Create(name, options);
        second.RestoreState(first.SaveState());
        var b = (float[])a.Clone();

        first.Aggregate(a, [Update("a", 2, -0.3f, 0.05f)]);
        second.Aggregate(b, [Update("a", 2, -0.3f, 0.05f)]);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Every_named_strategy_exists_and_an_unknown_name_is_refused()
    {
        Assert.Equal(Strategy.Names, Strategy.Names.Select(n => Strategy.Create(n).Name));
        Assert.Contains("fedavg, fedsgd", Assert.Throws<ArgumentException>(() => Strategy.Create("fedbest")).Message);
    }
}
