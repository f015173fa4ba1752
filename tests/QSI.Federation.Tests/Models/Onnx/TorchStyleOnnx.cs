using System.Buffers.Binary;
using System.Text.Json;
using Google.Protobuf;
using QSI.Federation.Models.Onnx.Proto;

namespace QSI.Federation.Tests.Models.Onnx;

/// <summary>
/// Writes ONNX graphs of exactly the structure <c>torch.onnx.export</c> (opset 17) gives a small
/// <c>nn.Sequential</c>, with this project's own copy of the ONNX classes and none of the library's
/// writer, so the import is tested against an independent producer. It makes the committed fixtures
/// (Fixtures/README.md); make_mlp.py beside them makes the same files from PyTorch itself.
/// </summary>
internal static class TorchStyleOnnx
{
    /// <summary>Input size, hidden width and classes of the fixture network.</summary>
    public static readonly int[] Sizes = [16, 8, 3];

    /// <summary>Seed of the fixture weights and inputs.</summary>
    public const int Seed = 20261202;

    /// <summary>Samples in the inputs file.</summary>
    public const int Samples = 5;

    /// <summary>The fixture files by name: the Gemm MLP, the MatMul+Add MLP, a graph with a Conv, and the inputs.</summary>
    public static IReadOnlyDictionary<string, byte[]> Fixtures()
    {
        var random = new Random(Seed);
        var layers = LinearLayers(Sizes, random);
        var inputs = Enumerable.Range(0, Samples)
            .Select(_ => Enumerable.Range(0, Sizes[0]).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
            .ToArray();
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new { sizes = Sizes, seed = Seed, producer = "TorchStyleOnnx (tests/QSI.Federation.Tests/Models/Onnx)", inputs },
            new JsonSerializerOptions { WriteIndented = true });
        return new Dictionary<string, byte[]>
        {
            ["mlp-16-8-3.onnx"] = Gemm(layers).ToByteArray(),
            ["mlp-16-8-3-matmul.onnx"] = MatMul(layers).ToByteArray(),
            ["conv-mlp.onnx"] = Conv(new Random(Seed + 1)).ToByteArray(),
            ["mlp-16-8-3.json"] = json,
        };
    }

    /// <summary>One nn.Linear's parameters: weight [outputs, inputs] row-major and bias.</summary>
    public sealed record Linear(int Outputs, int Inputs, float[] Weight, float[] Bias);

    /// <summary>Layers drawn as nn.Linear initialises them, U(-1/sqrt(n), 1/sqrt(n)), weight then bias.</summary>
    public static Linear[] LinearLayers(int[] sizes, Random random) =>
        Enumerable.Range(0, sizes.Length - 1).Select(l =>
        {
            double bound = 1 / Math.Sqrt(sizes[l]);
            float Draw() => (float)((random.NextDouble() * 2 - 1) * bound);
            var weight = Enumerable.Range(0, sizes[l + 1] * sizes[l]).Select(_ => Draw()).ToArray();
            var bias = Enumerable.Range(0, sizes[l + 1]).Select(_ => Draw()).ToArray();
            return new Linear(sizes[l + 1], sizes[l], weight, bias);
        }).ToArray();

    /// <summary>
    /// What torch.onnx.export writes for nn.Sequential(Linear, ReLU, Linear, ...) on a 2-D input:
    /// Gemm(alpha=1, beta=1, transB=1) over "2l.weight" and "2l.bias", Relu "/2l+1/Relu".
    /// </summary>
    public static ModelProto Gemm(IReadOnlyList<Linear> layers)
    {
        var graph = Graph(Input("input", Symbolic("batch_size"), Fixed(layers[0].Inputs)));
        var current = "input";
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int module = 2 * l;
            var output = l == layers.Count - 1 ? "output" : $"/{module}/Gemm_output_0";
            graph.Initializer.Add(Tensor($"{module}.weight", layer.Weight, layer.Outputs, layer.Inputs));
            graph.Initializer.Add(Tensor($"{module}.bias", layer.Bias, layer.Outputs));
            var gemm = Node($"/{module}/Gemm", "Gemm", [current, $"{module}.weight", $"{module}.bias"], output);
            gemm.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
            gemm.Attribute.Add(new AttributeProto { Name = "beta", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
            gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(gemm);
            current = AddRelu(graph, module, output, l == layers.Count - 1);
        }

        graph.Output.Add(Input("output", Symbolic("batch_size"), Fixed(layers[^1].Outputs)));
        return Model(graph);
    }

    /// <summary>
    /// What torch.onnx.export writes for the same network on a 3-D input [batch, 1, n]: MatMul with the
    /// transposed weight as "onnx::MatMul_k", then Add(bias, product).
    /// </summary>
    public static ModelProto MatMul(IReadOnlyList<Linear> layers)
    {
        var graph = Graph(Input("input", Symbolic("batch_size"), Fixed(1), Fixed(layers[0].Inputs)));
        var current = "input";
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int module = 2 * l;
            var transposed = new float[layer.Weight.Length];
            for (int i = 0; i < layer.Outputs; i++)
            {
                for (int j = 0; j < layer.Inputs; j++)
                {
                    transposed[j * layer.Outputs + i] = layer.Weight[i * layer.Inputs + j];
                }
            }

            var weightName = $"onnx::MatMul_{20 + l}";
            graph.Initializer.Add(Tensor($"{module}.bias", layer.Bias, layer.Outputs));
            graph.Initializer.Add(Tensor(weightName, transposed, layer.Inputs, layer.Outputs));
            graph.Node.Add(Node($"/{module}/MatMul", "MatMul", [current, weightName], $"/{module}/MatMul_output_0"));
            var output = l == layers.Count - 1 ? "output" : $"/{module}/Add_output_0";
            graph.Node.Add(Node($"/{module}/Add", "Add", [$"{module}.bias", $"/{module}/MatMul_output_0"], output));
            current = AddRelu(graph, module, output, l == layers.Count - 1);
        }

        graph.Output.Add(Input("output", Symbolic("batch_size"), Fixed(1), Fixed(layers[^1].Outputs)));
        return Model(graph);
    }

    /// <summary>nn.Sequential(Conv2d(1, 2, 3), Flatten(), Linear(8, 3)) on [batch, 1, 4, 4]: not an MLP.</summary>
    public static ModelProto Conv(Random random)
    {
        var graph = Graph(Input("input", Symbolic("batch_size"), Fixed(1), Fixed(4), Fixed(4)));
        float Draw() => (float)(random.NextDouble() - 0.5);
        graph.Initializer.Add(Tensor("0.weight", Enumerable.Range(0, 18).Select(_ => Draw()).ToArray(), 2, 1, 3, 3));
        graph.Initializer.Add(Tensor("0.bias", [Draw(), Draw()], 2));
        var linear = LinearLayers([8, 3], random)[0];
        graph.Initializer.Add(Tensor("2.weight", linear.Weight, 3, 8));
        graph.Initializer.Add(Tensor("2.bias", linear.Bias, 3));
        var conv = Node("/0/Conv", "Conv", ["input", "0.weight", "0.bias"], "/0/Conv_output_0");
        conv.Attribute.Add(new AttributeProto { Name = "kernel_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 3, 3 } });
        graph.Node.Add(conv);
        var flatten = Node("/1/Flatten", "Flatten", ["/0/Conv_output_0"], "/1/Flatten_output_0");
        flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(flatten);
        var gemm = Node("/2/Gemm", "Gemm", ["/1/Flatten_output_0", "2.weight", "2.bias"], "output");
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);
        graph.Output.Add(Input("output", Symbolic("batch_size"), Fixed(3)));
        return Model(graph);
    }

    /// <summary>A float32 initializer with its values as little-endian raw data, as PyTorch stores them.</summary>
    public static TensorProto Tensor(string name, float[] values, params long[] dims)
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

    /// <summary>A node with one output.</summary>
    public static NodeProto Node(string name, string op, string[] inputs, string output)
    {
        var node = new NodeProto { Name = name, OpType = op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static string AddRelu(GraphProto graph, int module, string current, bool last)
    {
        if (last)
        {
            return current;
        }

        var output = $"/{module + 1}/Relu_output_0";
        graph.Node.Add(Node($"/{module + 1}/Relu", "Relu", [current], output));
        return output;
    }

    private static GraphProto Graph(ValueInfoProto input)
    {
        var graph = new GraphProto { Name = "main_graph" };
        graph.Input.Add(input);
        return graph;
    }

    private static ModelProto Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.5.1", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    private static ValueInfoProto Input(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorShapeProto.Types.Dimension Symbolic(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Fixed(long size) => new() { DimValue = size };
}
