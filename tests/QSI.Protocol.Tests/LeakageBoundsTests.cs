using QSI.Protocol.Client;
using QSI.Protocol.Leakage;

namespace QSI.Protocol.Tests;

public class LeakageBoundsTests
{
    // PROTOCOL.md, "Reference values": G = 2, n' = 392.
    [Theory]
    [InlineData(4.0, 0.08738, 0.04369, 4.000)]
    [InlineData(10.0, 0.18924, 0.09462, 10.00)]
    [InlineData(2.32, 0.05433, 0.02717, 2.320)]
    public void Weight_leakage_and_signal_factor_match_the_reference_table_to_three_significant_figures(
        double photons, double perMode, double perWeight, double signalFactor)
    {
        var bitsPerMode = LeakageBounds.WeightBitsPerMode(2, photons, 392);
        AssertSignificant(perMode, bitsPerMode);
        AssertSignificant(perWeight, bitsPerMode / 2);
        AssertSignificant(signalFactor, new DeviceNoise(2).SignalFactor(photons));
    }

    [Fact]
    public void Data_leakage_matches_the_reference_table_in_both_fisher_forms()
    {
        AssertSignificant(0.007286, LeakageBounds.DataBits(2, 392, FisherDenominator.SigmaFourth));
        AssertSignificant(0.007250, LeakageBounds.DataBits(2, 392, FisherDenominator.SigmaEighth));
    }

    [Fact]
    public void Loss_raises_the_weight_leakage_to_about_1_24_bits_per_mode_at_ninety_percent_transmission()
    {
        var bits = LeakageBounds.WeightBitsPerMode(2, 4, 392, transmission: 0.9);
        Assert.InRange(bits, 1.235, 1.245);
    }

    [Fact]
    public void Conservative_data_bound_is_half_a_bit_for_a_square_layer_at_gain_two()
    {
        // 4 (M/n')(G-1)^2/(G(3G-2)) = 4 * 2 * 1 / 8 = 1, so 1/2 log2(2).
        Assert.Equal(0.5, LeakageBounds.DataBitsConservative(2, 392, 784), 12);
    }

    [Fact]
    public void Kappa_peaks_at_0_547_at_gain_two_plus_root_two()
    {
        var best = new DeviceNoise(2 + Math.Sqrt(2)).Kappa;
        Assert.Equal(0.547, best, 3);
        Assert.True(new DeviceNoise(3).Kappa < best && new DeviceNoise(4).Kappa < best);
    }

    [Fact]
    public void More_photons_leak_more_weight_information()
    {
        Assert.True(LeakageBounds.WeightBitsPerMode(2, 1, 392) < LeakageBounds.WeightBitsPerMode(2, 4, 392));
    }

    private static void AssertSignificant(double expected, double actual)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(expected))) - 2);
        Assert.True(Math.Abs(expected - actual) <= 0.5 * magnitude, $"expected {expected} to 3 significant figures, got {actual}");
    }
}
