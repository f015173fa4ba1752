using Google.Protobuf;
using QSI.Federation.Models.Onnx.Proto;
using QSI.Federation.Storage;

namespace QSI.Federation.Models.Onnx;

/// <summary>
/// Multilayer perceptrons in and out of ONNX (docs/MODEL_FORMAT.md, "ONNX"): <see cref="Import"/> reads
/// what <c>torch.onnx.export</c> writes for an <c>nn.Sequential</c> of <c>nn.Linear</c> and <c>nn.ReLU</c>;
/// <see cref="Export"/> writes a network back in the same shape (Gemm with transB=1, Relu, float32
/// initializers named like PyTorch's state dict, opset <see cref="Opset"/>).
/// </summary>
public static class OnnxModel
{
    /// <summary>The operator set version an exported graph is written for.</summary>
    public const long Opset = 17;

    /// <summary>The ONNX IR version of opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>Name of the graph input of an exported model, as PyTorch's exporter is usually told.</summary>
    public const string InputName = "input";

    /// <summary>Name of the graph output (the logits) of an exported model.</summary>
    public const string OutputName = "output";

    // Far above any network we train, as for QSIM files; protobuf itself stops at 2 GB.
    private const long MaxFileBytes = 1L << 31;

    /// <summary>Reads the network of the ONNX file at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxModelException">The file is missing, not ONNX, or not an MLP this reader takes.</exception>
    public static OnnxNetwork Import(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(ReadAll(path), path);
    }

    /// <summary>Reads the network of an ONNX model held in <paramref name="bytes"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="OnnxModelException">The bytes are not ONNX, or not an MLP this reader takes.</exception>
    public static OnnxNetwork Parse(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxModelException(path, $"not an ONNX model ({ex.Message.TrimEnd('.')})", ex);
        }

        // Protobuf accepts many byte strings as a message of unknown fields; an ONNX model names its IR version and has a graph.
        if (model.IrVersion <= 0 || model.Graph is null)
        {
            throw new OnnxModelException(path, "not an ONNX model (no IR version or no graph)");
        }

        long opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        var producer = string.Join(' ', new[] { model.ProducerName, model.ProducerVersion }.Where(s => s.Length > 0));
        return new OnnxNetwork(OnnxGraphReader.Read(path, model.Graph), opset, producer);
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> as ONNX, atomically.</summary>
    public static void Export(Mlp network, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Serialize(network));
    }

    /// <summary>The exact bytes <see cref="Export"/> writes for <paramref name="network"/>.</summary>
    public static byte[] Serialize(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return OnnxGraphWriter.Model(network).ToByteArray();
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new OnnxModelException(path, $"{info.Length} bytes is larger than any model this reader takes");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OnnxModelException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException(path, $"cannot be read ({ex.Message})", ex);
        }
    }
}
