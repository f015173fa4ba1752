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
        var original = device.Measure(layer.Light, input, NoiseSource.Seeded(7)).Residual;
        var twin = device.Measure(layer.Light, input, NoiseSource.Seeded(7)).Residual;

        var decoded = LightWire.DecodeReturnedLight(LightWire.Encode(twin));
        var reference = LightWire.DecodeReference(LightWire.Encode(layer.Reference));
        Assert.Equal(layer.Reference.TotalPhotons, reference.TotalPhotons, 12);

        var expected = original.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(9));
        var actual = decoded.MeasureHeterodyne(reference, NoiseSource.Seeded(9));
        Assert.Equal(expected, actual);
        Assert.Throws<InvalidOperationException>(() => twin.MeasureHeterodyne(layer.Reference, NoiseSource.Seeded(9)));
    }

    [Fact]
    public void Every_truncation_of_a_payload_is_rejected_with_a_wire_format_error()
    {
        var layer = ProtocolFixture.Encode(ProtocolFixture.Weights(2, 3, seed: 1), 2, 3, photons: 1, copies: 2);
        var residual = new ClientDevice(2).Measure(layer.Light, ProtocolFixture.Input(3, 2), NoiseSource.Seeded(1)).Residual;
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
