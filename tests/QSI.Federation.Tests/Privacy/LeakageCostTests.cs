using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Protocol.Leakage;

namespace QSI.Federation.Tests.Privacy;

public class LeakageCostTests
{
    private static readonly ChannelSettings Channel = new(Photons: 4, Gain: 2);
    private static readonly ModelShape Paper = new([784, 784, 10], Bias: false);

    [Fact]
    public void One_forward_use_of_the_papers_first_layer_costs_the_papers_bits_per_weight_and_the_rows_reuse_of_the_input()
    {
        // PROTOCOL.md reference values: G = 2, mu = 4, n' = 392 give 0.04369 bits per weight. The data
        // bound counts the 784 rows that reuse the input: 1/2 log2(1 + 0.0203 + 1) = 0.50729 bits per
        // element, where the paper's n' measurements give 0.007286 (docs/SECURITY.md).
        var cost = LeakageCost.Of(Paper, Channel, forwardUses: 1, backwardUses: 0, passesPerSample: 1);
        Assert.Equal(0.04369, cost[0].WeightBitsPerWeight, 5);
        Assert.Equal(0.507286, cost[0].InputBitsPerElement, 6);
        Assert.Equal(0, cost[0].GradientBitsPerElement);
    }

    [Fact]
    public void Uses_of_one_frame_cost_no_more_coherently_than_linearly_and_alike_for_one_use()
    {
        var single = LeakageCost.Of(Paper, Channel, 1, 1, 1, WeightAccounting.Coherent);
        Assert.Equal(single.Select(l => l.WeightBitsPerWeight), LeakageCost.Of(Paper, Channel, 1, 1, 1, WeightAccounting.Linear).Select(l => l.WeightBitsPerWeight));
        var coherent = LeakageCost.Of(Paper, Channel, 6000, 6000, 1, WeightAccounting.Coherent);
        var linear = LeakageCost.Of(Paper, Channel, 6000, 6000, 1, WeightAccounting.Linear);
        Assert.All(coherent.Zip(linear), p => Assert.True(p.First.WeightBitsPerWeight < p.Second.WeightBitsPerWeight / 10));
        Assert.Equal(6000 * single[0].WeightBitsPerWeight, linear[0].WeightBitsPerWeight, 6);
        // K copies are one coherent state of K mu photons: the Holevo bound at 24,000 photons per mode.
        Assert.Equal(LeakageBounds.WeightBitsPerMode(2, 24_000, 392) / 2, coherent[0].WeightBitsPerWeight, 9);
    }

    [Fact]
    public void Behind_a_real_channel_its_loss_and_noise_are_charged_to_the_client_and_its_trusted_detectors_are_not()
    {
        var testbed = new Protocol.Optics.ChannelImperfections { ReturnTransmission = 0.8, ExcessNoise = 0.02, PhaseNoise = 0.05 };
        var behind = Channel with { Imperfections = testbed };
        var ideal = LeakageCost.Of(Paper, Channel, 1, 0, 1)[0].WeightBitsPerWeight;

        // One use: the account charges what qsi infer's real-channel bound reports (n' = 392 modes, 2 weights a mode).
        var charged = LeakageCost.Of(Paper, behind, 1, 0, 1)[0].WeightBitsPerWeight;
        Assert.Equal(ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 1, testbed) / 2, charged, 12);
        Assert.True(charged > 1.5 * ideal, $"{charged} bits per weight behind the channel against {ideal} ideal");
        // Detectors are trusted: an inefficient, noisy detector on either side charges nothing more.
        var detectors = Channel with { Imperfections = new() { ClientEfficiency = 0.7, ClientElectronicNoise = 0.1, VerifierEfficiency = 0.8, VerifierElectronicNoise = 0.05 } };
        Assert.Equal(ideal, LeakageCost.Of(Paper, detectors, 1, 0, 1)[0].WeightBitsPerWeight);
        // And the coherent account of many uses stays below the linear one behind the channel too.
        Assert.True(LeakageCost.Of(Paper, behind, 6000, 0, 1)[0].WeightBitsPerWeight < LeakageCost.Of(Paper, behind, 6000, 0, 1, WeightAccounting.Linear)[0].WeightBitsPerWeight);
    }

    [Fact]
    public void The_transposed_frame_is_charged_to_its_layer_and_each_pass_to_the_data()
    {
        var forward = LeakageCost.Of(Paper, Channel, 100, 0, passesPerSample: 2);
        var both = LeakageCost.Of(Paper, Channel, 100, 100, passesPerSample: 2);
        Assert.Equal(forward[0], both[0]);
        Assert.True(both[1].WeightBitsPerWeight > forward[1].WeightBitsPerWeight);
        // The gradient through W1^T is 10 values in 5 modes reused by 784 rows: each carries far more than
        // an input element of the 10-row frame of W1.
        Assert.Equal(2 * LeakageBounds.DataBitsPerUse(2, 5, 784), both[1].GradientBitsPerElement, 12);
        Assert.Equal(2 * LeakageBounds.DataBitsPerUse(2, 392, 10), both[1].InputBitsPerElement, 12);
        Assert.True(both[1].GradientBitsPerElement > 100 * both[1].InputBitsPerElement);
    }

    [Fact]
    public void The_accountant_adds_up_per_client_and_layer_and_checks_budgets()
    {
        var accountant = new LeakageAccountant(2);
        var cost = LeakageCost.Of(Paper, Channel, 10, 10, 1);
        accountant.ChargeWeights("a", cost);
        accountant.ChargeWeights("a", cost);
        accountant.ChargeData("a", cost);

        Assert.Equal(2 * cost.Max(c => c.WeightBitsPerWeight), accountant.MaxWeightBits("a"), 12);
        Assert.Equal(cost.Max(c => c.DataBitsPerElement), accountant.MaxDataBits("a"), 12);
        Assert.Equal(0, accountant.MaxWeightBits("b"));
        Assert.False(accountant.WouldExceedWeights("a", cost, budget: null));
        Assert.True(accountant.WouldExceedWeights("a", cost, budget: 2.5 * cost.Max(c => c.WeightBitsPerWeight)));
        Assert.False(accountant.WouldExceedWeights("a", cost, budget: 3.5 * cost.Max(c => c.WeightBitsPerWeight)));
        Assert.True(accountant.WouldExceedData("a", cost, budget: 1.5 * cost.Max(c => c.DataBitsPerElement)));
    }
}
