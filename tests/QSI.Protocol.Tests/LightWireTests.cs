using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Transport;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests;

public class LightWireTests
{
    private const int Rows = 6, Columns = 9;

    [Fact]
    public void A_frame_that_crossed_the_wire_measures_exactly_like_the_original()
    {
        var weights = ProtocolFixture.Weights(Rows, Columns, seed: 1);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var original = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2);
        original.Light.PassThroughChannel(0.8);
        var twin = ProtocolFixture.Encode(weights, Rows, Columns, photons: 3, copies: 2);
        twin.Light.PassThroughChannel(0.8);

        var decoded = LightWire.DecodeFrame(LightWire.Encode(twin.Light));
        Assert.Equal(0, twin.Light.CopiesRemaining);
        Assert.Equal((twin.Light.Id, 2, 0.8), (decoded.Id, decoded.CopiesRemaining, decoded.Transmission));

        var device = new ClientDevice(2);
        var expected = device.Measure(original.Light, input, NoiseSource.Seeded(5)).Outputs;
        var actual = device.Measure(decoded, input, NoiseSource.Seeded(5)).Outputs;
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(SimulationPath.SufficientStatistics)]
    [InlineData(SimulationPath.ModeByMode)]
    public void Returned_light_and_the_reference_cross_the_wire_without_changing_the_verifiers_statistics(SimulationPath path)
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 1), Rows, Columns, photons: 3, copies: 2);
        var input = ProtocolFixture.Input(Columns, seed: 2);
        var device = new ClientDevice(2, path);
        var original = device.Measure(layer.Light, input, NoiseSource.Seeded(7)).Residual!;
        var twin = device.Measure(layer.Light, input, NoiseSource.Seeded(7)).Residual!;

        var decoded = LightWire.DecodeReturnedLight(LightWire.Encode(twin));
        var reference = LightWire.DecodeReference(LightWire.Encode(layer.Reference));
        Assert.Equal(layer.Reference.TotalPhotons, reference.TotalPhotons, 12);

        var expected = original.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(9));
        var actual = decoded.MeasureHeterodyne(reference, NoiseSource.Seeded(9));
        Assert.Equal(expected, actual);
        Assert.Throws<InvalidOperationException>(() => twin.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(9)));
    }

    [Fact]
    public void Conditioned_light_with_offsets_everywhere_crosses_the_wire_unchanged()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(Rows, Columns, seed: 1), Rows, Columns, photons: 3, copies: 1);
        var sums = new ConditionedReturnedLight.RowSums(2.5, -0.4, 1.25, 1.5, 0.3, 0.75, -2.0, 6.5);
        ReturnedLight Light() => new ConditionedReturnedLight(layer.Light.Id, Rows, layer.Light.Modes, 3, sums, 0.6, 2.4, 3.1, 2.2);

        var decoded = (ConditionedReturnedLight)LightWire.DecodeReturnedLight(LightWire.Encode(Light()));

        Assert.Equal((sums, 0.6, 2.4, 3.1, 2.2, 3L), (decoded.Sums, decoded.Transmission, decoded.VarianceX, decoded.VarianceP, decoded.VarianceRest, decoded.Uses));
        Assert.Equal(Light().MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(2)), decoded.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(2)));
    }

    [Fact]
    public void Light_of_an_older_format_or_with_impossible_values_is_rejected()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(2, 3, seed: 1), 2, 3, photons: 1, copies: 1);
        var modes = layer.Light.Modes;
        var light = new ConditionedReturnedLight(layer.Light.Id, 2, modes, 1, new ConditionedReturnedLight.RowSums(1, 0, 1, 1), 1, 2.5, 3, 2);
        var bytes = LightWire.Encode(light);

        var older = bytes.ToArray();
        BitConverter.GetBytes(2).CopyTo(older, 4);
        Assert.Contains("format version 2 is not supported; expected 3", Assert.Throws<WireFormatException>(() => LightWire.DecodeReturnedLight(older)).Message);

        // Header (4 magic + 4 version), frame, rows, modes, uses, form, transmission, X and P
        // variances (60 bytes): the rest variance follows, and the sum D_rest^2 is the last double.
        var squeezed = bytes.ToArray();
        BitConverter.GetBytes(1.5).CopyTo(squeezed, 60);
        Assert.Contains("rest variance 1.5 is not valid", Assert.Throws<WireFormatException>(() => LightWire.DecodeReturnedLight(squeezed)).Message);
        var negative = bytes.ToArray();
        BitConverter.GetBytes(-1.0).CopyTo(negative, negative.Length - 8);
        Assert.Contains("sum D_rest^2 -1 is not valid", Assert.Throws<WireFormatException>(() => LightWire.DecodeReturnedLight(negative)).Message);
    }

    [Fact]
    public void Every_truncation_of_a_payload_is_rejected_with_a_wire_format_error()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(2, 3, seed: 1), 2, 3, photons: 1, copies: 2);
        var residual = new ClientDevice(2).Measure(layer.Light, ProtocolFixture.Input(3, 2), NoiseSource.Seeded(1)).Residual!;
        var payloads = new (byte[] Bytes, Action<byte[]> Decode)[]
        {
            (LightWire.Encode(layer.Light), b => LightWire.DecodeFrame(b)),
            (LightWire.Encode(layer.Reference), b => LightWire.DecodeReference(b)),
            (LightWire.Encode(residual), b => LightWire.DecodeReturnedLight(b)),
        };
        foreach (var (bytes, decode) in payloads)
        {
            for (var length = 0; length < bytes.Length; length++)
                Assert.Throws<WireFormatException>(() => decode(bytes[..length]));
            Assert.Throws<WireFormatException>(() => decode([.. bytes, 0]));
        }
    }

    [Fact]
    public void Random_bytes_never_decode_and_never_throw_anything_but_a_wire_format_error()
    {
        var rng = new Random(11);
        var frame = LightWire.Encode(ProtocolFixture.Encode(ProtocolFixture.Weights(2, 3, seed: 1), 2, 3, photons: 1, copies: 1).Light);
        for (var k = 0; k < 2000; k++)
        {
            // Keep the magic sometimes, so that the fields behind it are exercised too.
            var bytes = new byte[rng.Next(0, 80)];
            rng.NextBytes(bytes);
            if (k % 2 == 0 && bytes.Length >= 8) frame.AsSpan(0, 8).CopyTo(bytes);
            Assert.Throws<WireFormatException>(() => LightWire.DecodeFrame(bytes));
            Assert.Throws<WireFormatException>(() => LightWire.DecodeReturnedLight(bytes));
        }
    }

    [Fact]
    public void Light_that_has_been_sent_cannot_be_sent_or_measured_again()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(2, 3, seed: 1), 2, 3, photons: 1, copies: 1);
        LightWire.Encode(layer.Light);
        Assert.Throws<FrameConsumedException>(() => LightWire.Encode(layer.Light));
        Assert.Throws<FrameConsumedException>(() => new ClientDevice(2).Measure(layer.Light, ProtocolFixture.Input(3, 2), NoiseSource.Seeded(1)));
    }
}
