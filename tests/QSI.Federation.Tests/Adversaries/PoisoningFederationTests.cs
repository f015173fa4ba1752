using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;
using QSI.Federation.Tests.Rounds;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Adversaries;

public class PoisoningFederationTests(ITestOutputHelper output)
{
    private static FederationSettings Settings(int clients, string strategy = "fedavg", int byzantine = 0) => new()
    {
        Rounds = 5,
        MinAvailableClients = clients,
        Plan = new() { BatchSize = 16, LearningRate = 0.1 },
        Strategy = strategy,
        StrategyOptions = new StrategyOptions { ByzantineClients = byzantine },
        Seed = 11,
    };

    /// <summary>A federation whose first clients play <paramref name="adversaries"/>, in order; the rest are honest.</summary>
    private static SynchronousFederation Federation(FederationSettings settings, int clients, params string[] adversaries) =>
        TestFederations.Create(settings, clients, join: (part, shape, options) =>
        {
            var k = int.Parse(part.ClientId["client-".Length..]);
            var conduct = k < adversaries.Length ? Adversary.Parse(adversaries[k], "client-09") : ClientConduct.Honest;
            return new FederatedClient(part.ClientId, shape, part.Train, part.HeldOut, options with { Conduct = conduct });
        });

    private double PlainAccuracy(int clients, string strategy, int byzantine, params string[] adversaries)
    {
        var accuracy = Federation(Settings(clients, strategy, byzantine) with { Channel = null }, clients, adversaries).Run(5)[^1].TestAccuracy;
        output.WriteLine($"{strategy} (f = {byzantine}), {adversaries.Length} of {clients} poisoning: test accuracy {accuracy:F4}");
        return accuracy;
    }

    [Fact]
    public void Three_of_ten_clients_sending_minus_ten_times_their_update_ruin_fedavg_but_not_fedmedian_krum_or_bulyan()
    {
        string[] poisoners = ["scale:-10", "scale:-10", "scale:-10"];
        var honest = PlainAccuracy(10, "fedavg", 0);

        // The mean moves by 0.7 - 3 = -2.3 honest steps: up the loss.
        Assert.InRange(PlainAccuracy(10, "fedavg", 0, poisoners), 0, 0.5);
        // The robust rules keep the honest run's accuracy within 2 points. Bulyan tolerates f = 1 of
        // 10 clients (n >= 4f + 3): here it holds against 3 all the same, and with 15 clients at f = 3.
        Assert.InRange(PlainAccuracy(10, "fedmedian", 0, poisoners), honest - 0.02, 1);
        Assert.InRange(PlainAccuracy(10, "krum", 3, poisoners), honest - 0.02, 1);
        Assert.InRange(PlainAccuracy(10, "bulyan", 1, poisoners), honest - 0.02, 1);
        Assert.InRange(PlainAccuracy(15, "bulyan", 3, poisoners), honest - 0.02, 1);
        Assert.InRange(honest, 0.9, 1);
    }

    [Fact]
    public void Poisoners_are_honest_on_the_optical_side_the_verifier_flags_none_and_their_updates_count()
    {
        var honest = Federation(Settings(5) with { Rounds = 2 }, 5).Run(2);
        var federation = Federation(Settings(5) with { Rounds = 2 }, 5, "signflip", "scale:10", "noise:1", "labelflip");

        var rounds = federation.Run(2);

        Assert.All(rounds, r => Assert.Empty(r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-01", "client-02", "client-03", "client-04"], r.Aggregated));
        // With about 120 samples a client, sd(eps-hat) over a round is about 0.13: eps0 = 1 within 3 sd.
        Assert.All(rounds.SelectMany(r => r.Fit), c => Assert.InRange(c.ExcessNoise!.Value, 0.6, 1.4));
        // In round 1 the model is the honest run's: a client that lies only about its update returns
        // the honest run's light bit for bit; the label flipper's backward pass carries other errors.
        foreach (var (expected, actual) in honest[0].Fit.Zip(rounds[0].Fit))
            output.WriteLine($"{actual.ClientId}: eps-hat {actual.ExcessNoise:F4}, honest run {expected.ExcessNoise:F4}");
        var updatesOnly = new[] { 0, 1, 2, 4 };
        Assert.Equal(updatesOnly.Select(k => honest[0].Fit[k].ExcessNoise), updatesOnly.Select(k => rounds[0].Fit[k].ExcessNoise));
    }

    [Fact]
    public void A_bulyan_round_left_with_fewer_than_4f_plus_3_updates_keeps_the_model()
    {
        // f = 1 needs 7 updates; the client that withholds its light is flagged and leaves 6.
        var federation = TestFederations.Create(Settings(7, "bulyan", byzantine: 1) with { Rounds = 1 }, clients: 7,
            attacks: [new QSI.Protocol.Attacks.Withhold(), null, null, null, null, null, null]);
        var before = ModelParameters.Flatten(federation.Training.Model);

        var round = federation.RunRound();

        Assert.Equal(["client-00"], round.Flagged);
        Assert.Equal(6, round.Aggregated.Count());
        Assert.False(round.ModelUpdated);
        Assert.Equal(before, ModelParameters.Flatten(federation.Training.Model));
    }
}
