using System.Buffers.Binary;
using Google.Protobuf;
using QSI.Federation.Models.Onnx.Proto;

namespace QSI.Federation.Models.Onnx;

/// <summary>Float32 tensors in and out of ONNX's <c>TensorProto</c>, little-endian as the format prescribes.</summary>
internal static class OnnxTensors
{
    /// <summary>A float32 initializer named <paramref name="name"/> of the given dimensions, stored as raw data like PyTorch's.</summary>
    public static TensorProto Float(string name, float[] values, params long[] dims)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>
    /// The values of a float32 tensor, from raw data or from the float_data field; null with
    /// <paramref name="problem"/> set when the tensor is not one this reader takes.
    /// </summary>
    public static float[]? ReadFloats(TensorProto tensor, out string problem)
    {
        problem = "";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            problem = "is stored outside the file (external data); save the model with its weights inside";
            return null;
        }

        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            problem = $"holds {(TensorProto.Types.DataType)tensor.DataType} values, not float32";
            return null;
        }

        long count = tensor.Dims.Aggregate(1L, (product, dim) => product * dim);
        if (tensor.Dims.Any(dim => dim < 0) || count > Array.MaxLength)
        {
            problem = $"has implausible dimensions [{string.Join(", ", tensor.Dims)}]";
            return null;
        }

        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            if (raw.Length != 4 * count)
            {
                problem = $"has {raw.Length} bytes of data for {count} float32 values";
                return null;
            }

            var values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
            }

            return values;
        }

        if (tensor.FloatData.Count != count)
        {
            problem = $"has {tensor.FloatData.Count} values for dimensions [{string.Join(", ", tensor.Dims)}]";
            return null;
        }

        return tensor.FloatData.ToArray();
    }
}
