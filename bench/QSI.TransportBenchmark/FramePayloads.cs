using System.Security.Cryptography;
using QSI.Protocol.Encoding;
using QSI.Protocol.Transport;

namespace QSI.TransportBenchmark;

/// <summary>
/// The payloads both paths move: the <see cref="LightWire"/> form of distinct 784x784 layer
/// frames (seeded weights, 4 photons per mode, one copy), 2,458,676 bytes each.
/// </summary>
internal sealed class FramePayloads
{
    /// <summary>Rows and columns of the layer: an MNIST-sized hidden layer.</summary>
    public const int Size = 784;

    private readonly byte[][] _frames;

    private FramePayloads(byte[][] frames) => _frames = frames;

    /// <summary>Bytes of every frame.</summary>
    public int FrameBytes => _frames[0].Length;

    /// <summary><paramref name="distinct"/> frames; frame k of a run is frame k modulo that.</summary>
    public static FramePayloads Build(int distinct, int seed = 784)
    {
        var frames = new byte[distinct][];
        for (var f = 0; f < distinct; f++)
        {
            var random = new Random(seed + f);
            var weights = new float[Size * Size];
            for (var k = 0; k < weights.Length; k++) weights[k] = (float)(random.NextDouble() - 0.5) * 0.1f;
            frames[f] = LightWire.Encode(WeightEncoder.Encode(weights, Size, Size, photons: 4, copies: 1).Light);
        }
        return new FramePayloads(frames);
    }

    /// <summary>Frame <paramref name="k"/> of a run. Never modified, so the store may hold it while it is sent again.</summary>
    public byte[] this[int k] => _frames[k % _frames.Length];

    /// <summary>The SHA-256 of frame <paramref name="k"/>, in hex, to compare with what the receiver reassembled.</summary>
    public string DigestOf(int k) => Digest(this[k]);

    /// <summary>The SHA-256 of <paramref name="bytes"/>, in lower-case hex.</summary>
    public static string Digest(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
