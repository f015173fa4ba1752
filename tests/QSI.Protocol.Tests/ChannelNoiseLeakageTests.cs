using QSI.Protocol.Leakage;
using QSI.Protocol.Optics;

namespace QSI.Protocol.Tests;

public class ChannelNoiseLeakageTests
{
    [Fact]
    public void Without_added_noise_it_is_the_honest_weight_bound()
    {
        Assert.Equal(LeakageBounds.WeightBitsPerMode(2, 4, 392, 0.9), ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, 0), 15);
    }

    [Fact]
    public void Behind_a_real_channel_loss_and_noise_raise_the_weight_bound_and_trusted_detectors_do_not()
    {
        var detectorsOnly = new ChannelImperfections { ClientEfficiency = 0.6, ClientElectronicNoise = 0.2, VerifierEfficiency = 0.7, VerifierElectronicNoise = 0.1 };
        Assert.Equal(LeakageBounds.WeightBitsPerMode(2, 4, 392, 0.9), ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, detectorsOnly), 15);
        Assert.Equal(LeakageBounds.WeightBitsPerMode(2, 4, 392, 0.9), ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, ChannelImperfections.Ideal), 15);
        double[] returns = [1, 0.9, 0.7, 0.5];
        AssertIncreasing(returns.Select(r => ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, new ChannelImperfections { ReturnTransmission = r })));
        double[] excesses = [0, 0.001, 0.01, 0.05];
        AssertIncreasing(excesses.Select(x => ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, new ChannelImperfections { ExcessNoise = x })));
        double[] phases = [0, 0.01, 0.05, 0.2];
        AssertIncreasing(phases.Select(p => ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 0.9, new ChannelImperfections { PhaseNoise = p })));
    }

    [Fact]
    public void Weight_leakage_grows_with_photon_number_loss_and_added_noise_and_falls_with_modes()
    {
        double[] photons = [0.1, 0.5, 1, 2.32, 4, 10, 100];
        AssertIncreasing(photons.Select(mu => ChannelNoiseLeakage.WeightBitsPerMode(2, mu, 392, 1, 0)));
        // Lower transmission: more light the verifier cannot account for, charged to the client.
        double[] transmissions = [1, 0.95, 0.9, 0.7, 0.5, 0.3, 0.1];
        AssertIncreasing(transmissions.Select(t => ChannelNoiseLeakage.WeightBitsPerMode(2, 2.32, 392, t, 0)));
        double[] excesses = [0, 0.001, 0.01, 0.05];
        AssertIncreasing(excesses.Select(e => ChannelNoiseLeakage.WeightBitsPerMode(2, 2.32, 392, 1, e)));
        // The device's excess eps0 spreads over the n' modes: wider rows leak less per mode.
        int[] modes = [10, 50, 100, 392, 1000];
        AssertDecreasing(modes.Select(n => ChannelNoiseLeakage.WeightBitsPerMode(2, 2.32, n, 1, 0)));
        AssertDecreasing(modes.Select(n => LeakageBounds.DataBits(2, n)));
    }

    [Fact]
    public void All_light_lost_tends_to_the_whole_holevo_quantity()
    {
        // PROTOCOL.md section 4: as T -> 0, I_w -> g(2 mu + 1), 3.61 bits per mode at mu = 4.
        Assert.InRange(ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 1e-9, 0), 3.605, 3.615);
    }

    [Fact]
    public void Negative_added_noise_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelNoiseLeakage.WeightBitsPerMode(2, 4, 392, 1, -0.1));
    }

    private static void AssertIncreasing(IEnumerable<double> values) =>
        Assert.All(values.Zip(values.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} after {pair.First}"));

    private static void AssertDecreasing(IEnumerable<double> values) => AssertIncreasing(values.Select(v => -v));
}
