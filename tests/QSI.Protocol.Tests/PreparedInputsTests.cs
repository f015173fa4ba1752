using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Tests;

public class PreparedInputsTests
{
    private const int Rows = 9, Columns = 37, Samples = 6;

    private static float[] Inputs() => Enumerable.Range(0, Samples).SelectMany(s => ProtocolFixture.Input(Columns, seed: 10 + s)).ToArray();

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics)]
    [InlineData(SimulationPath.ModeByMode)]
    public void Prepared_uses_give_the_estimates_and_the_light_of_the_same_inputs_applied_afresh(SimulationPath path)
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var inputs = Inputs();
        var device = new ClientDevice(2, path);
        var afresh = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 8);
        var prepared = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 8);
        using var preparation = PreparedInputs.For(prepared.Light, inputs, Samples)!;

        // Two passes over the samples in different orders, as two epochs of local training.
        int[][] passes = [[4, 1, 5, 0], [2, 3, 0, 5]];
        var (noiseAfresh, noisePrepared) = (NoiseSource.Seeded(7), NoiseSource.Seeded(7));
        foreach (var samples in passes)
        {
            var gathered = new float[samples.Length * Columns];
            preparation.Gather(samples, gathered);
            var expected = new float[samples.Length * Rows];
            var actual = new float[samples.Length * Rows];
            var lightAfresh = device.MeasureBatch(afresh.Light, gathered, samples.Length, expected, noiseAfresh);
            var lightPrepared = device.MeasureBatch(prepared.Light, preparation, samples, actual, noisePrepared);

            // The same noise; the products summed as one batch of all samples or of these, equal up to float rounding.
            for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-5f);
            var (a, p) = (lightAfresh.MeasureHeterodyne(afresh.Reference, NoiseSource.Seeded(3)),
                lightPrepared.MeasureHeterodyne(prepared.Reference, NoiseSource.Seeded(3)));
            Assert.Equal((a.Dimensions, a.Uses), (p.Dimensions, p.Uses));
            foreach (var (x, y) in new[] { (a.ReferenceEnergy, p.ReferenceEnergy), (a.Correlation, p.Correlation), (a.Energy, p.Energy) })
                Assert.Equal(x, y, tolerance: 1e-9 * Math.Abs(x));
        }
        Assert.Equal(0, prepared.Light.CopiesRemaining);
    }

    [Fact]
    public void Every_prepared_use_still_takes_its_own_copy_of_the_light()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 1), Rows, Columns, photons: 3, copies: 5);
        using var preparation = PreparedInputs.For(layer.Light, Inputs(), Samples)!;
        var device = new ClientDevice(2);
        var outputs = new float[Samples * Rows];

        device.MeasureBatch(layer.Light, preparation, [0, 1, 2], outputs, NoiseSource.Seeded(1));
        // The same samples again are new uses: three more copies, of which only two are left.
        Assert.Throws<FrameConsumedException>(() => device.MeasureBatch(layer.Light, preparation, [0, 1, 2], outputs, NoiseSource.Seeded(1)));
        Assert.Equal(2, layer.Light.CopiesRemaining);
    }

    [Fact]
    public void Inputs_prepared_for_one_frame_do_not_meet_another()
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var first = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2);
        var second = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2);
        using var preparation = PreparedInputs.For(first.Light, Inputs(), Samples)!;
        var outputs = new float[Rows];

        Assert.Throws<ArgumentException>(() => new ClientDevice(2).MeasureBatch(second.Light, preparation, [0], outputs, NoiseSource.Seeded(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientDevice(2).MeasureBatch(first.Light, preparation, [Samples], outputs, NoiseSource.Seeded(1)));
        Assert.Equal((2, 2), (first.Light.CopiesRemaining, second.Light.CopiesRemaining));
    }
}
