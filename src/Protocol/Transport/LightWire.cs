using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Transport;

/// <summary>
/// The binary wire forms of light and references, for carrying them between processes.
/// </summary>
/// <remarks>
/// A simulated state travels as its description, as light travels in a fibre: whoever holds
/// the bytes holds the light. Encoding therefore moves it: a frame gives up all its copies,
/// returned light can no longer be measured here. Every form starts with four magic bytes and
/// a format version; all numbers are little-endian; decoding checks every count and value and
/// rejects malformed input with a one-line <see cref="WireFormatException"/>.
/// </remarks>
public static class LightWire
{
    // Version 3: conditioned light carries offsets in P along x and in the rest of the modes,
    // and the rest's variance, so it describes the light of dishonest devices too.
    private const int Version = 3;
    private const int MaxDimension = 1 << 20;
    private const long MaxAmplitudes = 1L << 27;

    private static ReadOnlySpan<byte> FrameMagic => "QSIF"u8;
    private static ReadOnlySpan<byte> ReferenceMagic => "QSIV"u8;
    private static ReadOnlySpan<byte> ReturnedMagic => "QSIR"u8;

    /// <summary>Moves all remaining copies of <paramref name="frame"/> into bytes.</summary>
    public static byte[] Encode(CoherentFrame frame)
    {
        if (frame.AddedNoise != 0)
            throw new NotSupportedException($"frame {frame.Id} has passed a noisy channel; the wire carries light before its channel, so apply the channel where it is received");
        var (weights, copies) = frame.TakeAllCopies();
        var writer = new WireWriter(64 + 4 * weights.Length);
        writer.Bytes(FrameMagic);
        writer.Int32(Version);
        writer.Int64(frame.Id.Value);
        writer.Int32(frame.Rows);
        writer.Int32(frame.Columns);
        writer.Double(frame.Scale);
        writer.Double(frame.Photons);
        writer.Double(frame.Transmission);
        writer.Int32(copies);
        writer.Floats(weights);
        return writer.ToArray();
    }

    /// <summary>The frame whose light <paramref name="payload"/> carries.</summary>
    public static CoherentFrame DecodeFrame(ReadOnlySpan<byte> payload)
    {
        var reader = Header(payload, FrameMagic, "frame payload");
        var id = new FrameId(reader.Int64());
        var (rows, columns) = Shape(ref reader);
        var scale = reader.Real("scale", v => v > 0);
        var photons = reader.Real("photon number", v => v > 0);
        var transmission = reader.Real("transmission", v => v is > 0 and <= 1);
        var copies = reader.Count("copies", 1, int.MaxValue);
        var weights = reader.Floats(rows * 2 * ((columns + 1) / 2));
        reader.End();
        return new CoherentFrame(id, weights, rows, columns, scale, photons, copies, transmission);
    }

    /// <summary>The reference of a frame, for a verifier in another process.</summary>
    public static byte[] Encode(FrameReference reference)
    {
        var writer = new WireWriter(64 + 4 * reference.PackedWeights.Length);
        writer.Bytes(ReferenceMagic);
        writer.Int32(Version);
        writer.Int64(reference.Id.Value);
        writer.Int32(reference.Rows);
        writer.Int32(reference.Columns);
        writer.Double(reference.Scale);
        writer.Floats(reference.PackedWeights);
        return writer.ToArray();
    }

    /// <summary>The frame reference <paramref name="payload"/> carries.</summary>
    public static FrameReference DecodeReference(ReadOnlySpan<byte> payload)
    {
        var reader = Header(payload, ReferenceMagic, "frame reference payload");
        var id = new FrameId(reader.Int64());
        var (rows, columns) = Shape(ref reader);
        var scale = reader.Real("scale", v => v > 0);
        var weights = reader.Floats(rows * 2 * ((columns + 1) / 2));
        reader.End();
        return new FrameReference(id, weights, rows, columns, scale);
    }

    /// <summary>Moves returned light into bytes; it can no longer be measured here.</summary>
    public static byte[] Encode(ReturnedLight light)
    {
        light.Release();
        var writer = new WireWriter(128);
        writer.Bytes(ReturnedMagic);
        writer.Int32(Version);
        Body(writer, light);
        return writer.ToArray();
    }

    private static void Body(WireWriter writer, ReturnedLight light)
    {
        writer.Int64(light.Frame.Value);
        writer.Int32(light.Rows);
        writer.Int32(light.Modes);
        writer.Int64(light.Uses);
        switch (light)
        {
            case ConditionedReturnedLight conditioned:
                writer.Int32((int)ReturnedForm.Conditioned);
                writer.Double(conditioned.Transmission);
                writer.Double(conditioned.VarianceX);
                writer.Double(conditioned.VarianceP);
                writer.Double(conditioned.VarianceRest);
                var s = conditioned.Sums;
                writer.Doubles([s.ReRe, s.ReOffsetX, s.OffsetXOffsetX, s.ImIm, s.ImOffsetP, s.OffsetPOffsetP, s.RestDot, s.RestSquared]);
                break;
            case SampledReturnedLight sampled:
                writer.Int32((int)ReturnedForm.Sampled);
                foreach (var row in sampled.RowModes)
                {
                    writer.Doubles(row.X);
                    writer.Doubles(row.P);
                }
                break;
            case CombinedReturnedLight combined:
                writer.Int32((int)ReturnedForm.Combined);
                writer.Int32(combined.Parts.Count);
                foreach (var part in combined.Parts) Body(writer, part);
                break;
            default:
                throw new ArgumentException($"returned light of type {light.GetType().Name} has no wire form", nameof(light));
        }
    }

    /// <summary>The returned light <paramref name="payload"/> carries.</summary>
    public static ReturnedLight DecodeReturnedLight(ReadOnlySpan<byte> payload)
    {
        var reader = Header(payload, ReturnedMagic, "returned light payload");
        var light = ReturnedBody(ref reader, nested: false);
        reader.End();
        return light;
    }

    private static ReturnedLight ReturnedBody(ref WireReader reader, bool nested)
    {
        var frame = new FrameId(reader.Int64());
        var rows = reader.Count("rows", 1, MaxDimension);
        var modes = reader.Count("modes", 1, MaxDimension);
        var uses = reader.Int64();
        if (uses < 1) throw new WireFormatException($"returned light payload: {uses} uses; light comes from at least one");
        var form = reader.Count("form", (int)ReturnedForm.Conditioned, nested ? (int)ReturnedForm.Sampled : (int)ReturnedForm.Combined);
        switch ((ReturnedForm)form)
        {
            case ReturnedForm.Conditioned:
            {
                var transmission = reader.Real("transmission", v => v is > 0 and <= 1);
                var varianceX = reader.Real("X variance", v => v > 0);
                var varianceP = reader.Real("P variance", v => v > 0);
                // Vacuum (1) plus the heterodyne's unit: no light has less noise in the other modes.
                var varianceRest = reader.Real("rest variance", v => v >= 2);
                var sums = new ConditionedReturnedLight.RowSums(
                    reader.Real("sum Re beta^2", v => v >= 0), reader.Real("sum Re beta DX", _ => true),
                    reader.Real("sum DX^2", v => v >= 0), reader.Real("sum Im beta^2", v => v >= 0),
                    reader.Real("sum Im beta DP", _ => true), reader.Real("sum DP^2", v => v >= 0),
                    reader.Real("sum A_rest D_rest", _ => true), reader.Real("sum D_rest^2", v => v >= 0));
                return new ConditionedReturnedLight(frame, rows, modes, uses, sums, transmission, varianceX, varianceP, varianceRest);
            }
            case ReturnedForm.Sampled:
            {
                if (uses != 1) throw new WireFormatException($"returned light payload: mode-by-mode light of {uses} uses; it holds one");
                if ((long)rows * modes > MaxAmplitudes) throw new WireFormatException($"returned light payload: {rows}x{modes} modes is too large");
                var sampled = new LightModes[rows];
                for (var i = 0; i < rows; i++)
                {
                    sampled[i] = new LightModes(modes);
                    reader.Doubles(modes).CopyTo(sampled[i].X, 0);
                    reader.Doubles(modes).CopyTo(sampled[i].P, 0);
                }
                return new SampledReturnedLight(frame, sampled, modes);
            }
            default:
            {
                var count = reader.Count("parts", 2, MaxDimension);
                var parts = new ReturnedLight[count];
                for (var k = 0; k < count; k++)
                {
                    parts[k] = ReturnedBody(ref reader, nested: true);
                    if (parts[k].Frame != frame || parts[k].Rows != rows || parts[k].Modes != modes)
                        throw new WireFormatException($"returned light payload: part {k} is light of another frame or shape");
                }
                var combined = new CombinedReturnedLight(parts);
                if (combined.Uses != uses) throw new WireFormatException($"returned light payload: parts hold {combined.Uses} uses; the header says {uses}");
                return combined;
            }
        }
    }

    private static WireReader Header(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> magic, string what)
    {
        var reader = new WireReader(payload, what);
        reader.Magic(magic);
        var version = reader.Int32();
        if (version != Version) throw new WireFormatException($"{what}: format version {version} is not supported; expected {Version}");
        return reader;
    }

    private static (int Rows, int Columns) Shape(ref WireReader reader)
    {
        var rows = reader.Count("rows", 1, MaxDimension);
        var columns = reader.Count("columns", 1, MaxDimension);
        if ((long)rows * 2 * ((columns + 1) / 2) > MaxAmplitudes)
            throw new WireFormatException($"payload: a {rows}x{columns} frame is too large");
        return (rows, columns);
    }

    private enum ReturnedForm
    {
        Conditioned = 1,
        Sampled = 2,
        Combined = 3,
    }
}
