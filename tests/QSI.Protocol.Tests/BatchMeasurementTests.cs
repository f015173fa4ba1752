using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Transport;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests;

public class BatchMeasurementTests
{
    private const int Rows = 7, Columns = 13, Batch = 5;

    [Fact]
    public void A_batch_of_uses_gives_the_estimates_of_the_uses_one_at_a_time_up_to_float_rounding()
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var inputs = Inputs(seed: 2);
        var device = new ClientDevice(2);
        var single = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: Batch);
        var batched = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: Batch);

        var noise = NoiseSource.Seeded(5);
        var expected = Enumerable.Range(0, Batch)
            .SelectMany(b => device.Measure(single.Light, inputs.AsSpan(b * Columns, Columns), noise).Outputs).ToArray();
        var actual = new float[Batch * Rows];
        var light = device.MeasureBatch(batched.Light, inputs, Batch, actual, NoiseSource.Seeded(5));

        // A batch's products w.x come from one matrix product, single uses from a fused pass per row:
        // the same 2n' = 14 terms summed in another order, a few units of 2^-24 apart, and the
        // estimate is |z| (w.x) plus the same noise draws, so they agree to far better than 1e-5.
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * (1 + Math.Abs(expected[k])), $"estimate {k}: {expected[k]} vs {actual[k]}");
        Assert.Equal(Batch, light.Uses);
        Assert.Equal(0, batched.Light.CopiesRemaining);
    }

    [Fact]
    public void A_batch_needs_as_many_unmeasured_copies_as_it_has_inputs()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 1), Rows, Columns, photons: 3, copies: Batch - 1);
        var outputs = new float[Batch * Rows];
        Assert.Throws<QSI.Protocol.Encoding.FrameConsumedException>(
            () => new ClientDevice(2).MeasureBatch(layer.Light, Inputs(seed: 2), Batch, outputs, NoiseSource.Seeded(1)));
        Assert.Equal(Batch - 1, layer.Light.CopiesRemaining);
    }

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics)]
    [InlineData(SimulationPath.ModeByMode)]
    public void Light_of_many_uses_measured_together_draws_the_sums_of_the_uses_measured_apart(SimulationPath path)
    {
        // Section 7: the statistics of K uses form one longer Gaussian vector, so their pooled
        // law is exact in O(1) draws. Compare with each use heterodyned on its own and summed.
        const int samples = 2000;
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 3);
        var inputs = Inputs(seed: 4);
        var device = new ClientDevice(2.5, path);
        var together = new List<double>[] { [], [] };
        var apart = new List<double>[] { [], [] };
        var noise = NoiseSource.Seeded(21);
        var outputs = new float[Batch * Rows];
        for (var k = 0; k < samples; k++)
        {
            var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2 * Batch);
            layer.Light.PassThroughChannel(0.8);
            var pooled = device.MeasureBatch(layer.Light, inputs, Batch, outputs, noise).MeasureHeterodyne(layer.Reference, noise);
            var summed = ResidualStatistics.None;
            for (var b = 0; b < Batch; b++)
                summed += device.Measure(layer.Light, inputs.AsSpan(b * Columns, Columns), noise).Residual!.MeasureHeterodyne(layer.Reference, noise);
            Assert.Equal((summed.Dimensions, summed.Uses, summed.ReferenceEnergy), (pooled.Dimensions, pooled.Uses, pooled.ReferenceEnergy));
            together[0].Add(pooled.Correlation);
            together[1].Add(pooled.Energy);
            apart[0].Add(summed.Correlation);
            apart[1].Add(summed.Energy);
        }
        var critical = KolmogorovSmirnov.Critical(samples, samples);
        for (var s = 0; s < 2; s++)
        {
            var d = KolmogorovSmirnov.Statistic(together[s], apart[s]);
            Assert.True(d < critical, $"statistic {s}: KS D = {d:F4} exceeds the 0.001 critical value {critical:F4}");
        }
    }

    [Fact]
    public void Combined_light_of_one_device_merges_into_one_description_and_is_gone_from_its_parts()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 1), Rows, Columns, photons: 3, copies: 3);
        var device = new ClientDevice(2);
        var noise = NoiseSource.Seeded(1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var parts = Enumerable.Range(0, 3).Select(_ => device.Measure(layer.Light, input, noise).Residual!).ToArray();

        var whole = ReturnedLight.Combine(parts);

        Assert.Equal(3, whole.Uses);
        Assert.Throws<InvalidOperationException>(() => parts[0].MeasureHeterodyne(layer.Reference, noise));
        var statistics = whole.MeasureHeterodyne(layer.Reference, noise);
        Assert.Equal(3L * Rows, statistics.Uses);
        Assert.Equal(2L * 3 * Rows * ((Columns + 1) / 2), statistics.Dimensions);
    }

    [Fact]
    public void Light_of_different_frames_does_not_combine()
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var first = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 1);
        var second = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 1);
        var device = new ClientDevice(2);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var noise = NoiseSource.Seeded(1);
        var parts = new[] { device.Measure(first.Light, input, noise).Residual!, device.Measure(second.Light, input, noise).Residual! };
        Assert.Throws<ArgumentException>(() => ReturnedLight.Combine(parts));
    }

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics)]
    [InlineData(SimulationPath.ModeByMode)]
    public void Light_of_many_uses_crosses_the_wire_without_changing_the_verifiers_statistics(SimulationPath path)
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var layer = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2 * Batch);
        var device = new ClientDevice(2, path);
        var outputs = new float[Batch * Rows];
        var original = device.MeasureBatch(layer.Light, Inputs(seed: 2), Batch, outputs, NoiseSource.Seeded(3));
        var twin = device.MeasureBatch(layer.Light, Inputs(seed: 2), Batch, outputs, NoiseSource.Seeded(3));

        var decoded = LightWire.DecodeReturnedLight(LightWire.Encode(twin));

        Assert.Equal(Batch, decoded.Uses);
        Assert.Equal(original.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(4)), decoded.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(4)));
    }

    [Fact]
    public void Honest_light_pooled_over_many_uses_is_accepted_at_one_minus_the_false_alarm_rate()
    {
        const int checks = 3000;
        const double falseAlarm = 0.05;
        const int rows = 60, columns = 40;
        var verifier = new ResidualVerifier(new VerifierOptions { Gain = 2, FalseAlarmRate = falseAlarm });
        var device = new ClientDevice(2);
        var weights = ProtocolFixture.Weights(rows, columns, seed: 7);
        var inputs = Enumerable.Range(0, Batch).SelectMany(b => ProtocolFixture.Input(columns, 8 + b)).ToArray();
        var noise = NoiseSource.Seeded(9);
        var outputs = new float[Batch * rows];
        var accepted = 0;
        for (var c = 0; c < checks; c++)
        {
            var layer = ProtocolFixture.Encode(weights, rows, columns, photons: 4, copies: Batch);
            var statistics = device.MeasureBatch(layer.Light, inputs, Batch, outputs, noise).MeasureHeterodyne(layer.Reference, noise);
            if (verifier.Check(statistics).Accepted) accepted++;
        }
        var standardError = Math.Sqrt(falseAlarm * (1 - falseAlarm) / checks);
        Assert.InRange(accepted / (double)checks, 1 - falseAlarm - 3.5 * standardError, 1 - falseAlarm + 3.5 * standardError);
    }

    private static float[] Inputs(int seed)
    {
        var inputs = new float[Batch * Columns];
        for (var b = 0; b < Batch; b++) ProtocolFixture.Input(Columns, seed + 100 * b).CopyTo(inputs, b * Columns);
        return inputs;
    }
}
