using System.Buffers.Binary;

namespace QSI.Actors.Tests.Serialization;

/// <summary>How a hostile peer may spoil a well-formed payload before sending it.</summary>
public enum WireMutationKind
{
    /// <summary>One to eight bits flipped.</summary>
    BitFlips,

    /// <summary>Cut short at a random length.</summary>
    Truncation,

    /// <summary>Random bytes appended.</summary>
    Extension,

    /// <summary>A 32-bit field (a length or count, when it lands on one) set to a huge, negative or boundary value.</summary>
    HugeField,

    /// <summary>A run of bytes overwritten with random ones.</summary>
    Overwrite,

    /// <summary>Random bytes of random length, nothing of the original.</summary>
    RandomBytes,

    /// <summary>The intact payload under another message's manifest.</summary>
    WrongManifest,
}

/// <summary>One mutation of a sample payload, reproducible from its seed.</summary>
public static class WireMutation
{
    private static readonly int[] HugeValues = [int.MaxValue, int.MinValue, -1, 0x7FFF_FFF0, 1 << 30, 100_000, 65_537, 4097];

    /// <summary>
    /// <paramref name="bytes"/> under <paramref name="manifest"/> spoiled by <paramref name="kind"/>,
    /// the random choices drawn from <paramref name="seed"/>; <paramref name="manifests"/> are the ones a wrong manifest is drawn from.
    /// </summary>
    public static (byte[] Bytes, string Manifest) Apply(WireMutationKind kind, byte[] bytes, string manifest, IReadOnlyList<string> manifests, int seed)
    {
        var random = new Random(seed);
        var copy = bytes.ToArray();
        switch (kind)
        {
            case WireMutationKind.BitFlips:
                if (copy.Length == 0) return ([(byte)random.Next(256)], manifest);
                for (var n = random.Next(1, 9); n > 0; n--) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return (copy, manifest);
            case WireMutationKind.Truncation:
                return (copy[..random.Next(copy.Length + 1)], manifest);
            case WireMutationKind.Extension:
                return ([.. copy, .. Random(random, random.Next(1, 64))], manifest);
            case WireMutationKind.HugeField:
                if (copy.Length < 4) return (copy, manifest);
                var at = random.Next(copy.Length - 3);
                BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(at), HugeValues[random.Next(HugeValues.Length)]);
                return (copy, manifest);
            case WireMutationKind.Overwrite:
                if (copy.Length == 0) return (copy, manifest);
                var start = random.Next(copy.Length);
                Random(random, random.Next(1, Math.Min(32, copy.Length - start) + 1)).CopyTo(copy.AsSpan(start));
                return (copy, manifest);
            case WireMutationKind.RandomBytes:
                return (Random(random, random.Next(0, 2 * copy.Length + 8)), manifest);
            case WireMutationKind.WrongManifest:
                return (copy, random.Next(8) == 0 ? manifest + "-" + random.Next(10) : manifests[random.Next(manifests.Count)]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such mutation");
        }
    }

    private static byte[] Random(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
