using QSI.Protocol.Encoding;
using QSI.Protocol.Transport;

namespace QSI.Actors.Tests;

/// <summary>The wire form of a real layer frame: what the server moves to a client.</summary>
internal sealed record LayerPayload(FrameId Id, int Rows, int Columns, byte[] Bytes)
{
    /// <summary>A 784x784 layer of seeded random weights at 2.32 photons per mode, as ~2.46 MB of LightWire.</summary>
    public static LayerPayload Mnist784(int seed = 784)
    {
        const int size = 784;
        var random = new Random(seed);
        var weights = new float[size * size];
        for (var k = 0; k < weights.Length; k++) weights[k] = (float)(random.NextDouble() - 0.5) * 0.1f;
        var light = WeightEncoder.Encode(weights, size, size, photons: 2.32).Light;
        var id = light.Id;
        return new LayerPayload(id, size, size, LightWire.Encode(light));
    }

    /// <summary>Checks that <paramref name="received"/> is this payload and decodes to this frame.</summary>
    public void AssertIsCarriedBy(byte[] received)
    {
        Assert.Equal(Bytes.Length, received.Length);
        Assert.True(Bytes.AsSpan().SequenceEqual(received), "the payload's bytes changed in transit");
        var frame = LightWire.DecodeFrame(received);
        Assert.Equal(Id, frame.Id);
        Assert.Equal((Rows, Columns), (frame.Rows, frame.Columns));
    }
}
