using QSI.Federation.Models.Onnx.Proto;

namespace QSI.Federation.Models.Onnx;

/// <summary>
/// Reads the multilayer perceptron out of an ONNX graph of the shape <c>torch.onnx.export</c> gives an
/// <c>nn.Sequential</c> of <c>nn.Linear</c> and <c>nn.ReLU</c>: optionally a Flatten or Reshape of the
/// input, then dense layers (a Gemm, or a MatMul with an optional bias Add) with one Relu between every
/// two of them, weights in initializers (or Constant nodes). The first node that does not fit is named
/// in the <see cref="OnnxModelException"/>.
/// </summary>
internal sealed class OnnxGraphReader
{
    /// <summary>The operators an importable graph is made of, as the error message lists them.</summary>
    public const string SupportedOperators = "only Gemm, MatMul, Add, Relu, Flatten, Reshape make an MLP";

    private readonly string _path;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly List<DenseLayer> _layers = [];
    private readonly ValueInfoProto _input;
    private string _current;
    private Stage _stage = Stage.Input;

    private OnnxGraphReader(string path, GraphProto graph)
    {
        _path = path;
        foreach (var initializer in graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
        }

        var inputs = graph.Input.Where(input => !_constants.ContainsKey(input.Name)).ToArray();
        if (inputs.Length != 1)
        {
            throw Fail($"the graph has {inputs.Length} data inputs; an MLP has one");
        }

        _input = inputs[0];
        _current = _input.Name;
    }

    // Where in "Linear (Relu Linear)*" the walk is; Bias is a MatMul's layer that an Add may still complete.
    private enum Stage { Input, Flattened, Linear, Bias, Relu }

    /// <summary>The network <paramref name="graph"/> computes.</summary>
    /// <exception cref="OnnxModelException">The graph is not an MLP this reader takes.</exception>
    public static Mlp Read(string path, GraphProto graph) => new OnnxGraphReader(path, graph).Walk(graph);

    private Mlp Walk(GraphProto graph)
    {
        for (int index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            var label = $"node '{(node.Name.Length > 0 ? node.Name : $"#{index}")}' ({node.OpType})";
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw Fail($"{label} from operator domain '{node.Domain}' is not supported: {SupportedOperators}");
            }

            Take(node, label);
        }

        if (_stage is Stage.Input or Stage.Flattened)
        {
            throw Fail("the graph has no Gemm or MatMul layer");
        }

        if (_stage == Stage.Relu)
        {
            throw Fail("the graph ends in a Relu; the last layer of a QSIM network gives logits without one");
        }

        if (graph.Output.Count != 1 || graph.Output[0].Name != _current)
        {
            throw Fail($"the graph's output [{string.Join(", ", graph.Output.Select(o => o.Name))}] is not the last layer's output '{_current}'");
        }

        return new Mlp(_layers);
    }

    private void Take(NodeProto node, string label)
    {
        if (node.OpType == "Constant")
        {
            TakeConstant(node, label);
            return;
        }

        if (node.Output.Count != 1)
        {
            throw Fail($"{label} has {node.Output.Count} outputs; an MLP's nodes have one");
        }

        switch (node.OpType)
        {
            case "Flatten" or "Reshape" when _stage is Stage.Input or Stage.Flattened:
                RequireData(node, label, 0);
                if (node.OpType == "Flatten" && Integer(node, "axis", 1) != 1)
                {
                    throw Fail($"{label} flattens from axis {Integer(node, "axis", 1)}; only axis 1 keeps one sample per row");
                }

                _stage = Stage.Flattened;
                break;
            case "Flatten" or "Reshape":
                throw Fail($"{label} is not supported after the first layer: {node.OpType} may only reshape the input");
            case "Gemm":
                TakeGemm(node, label);
                break;
            case "MatMul":
                TakeMatMul(node, label);
                break;
            case "Add" when _stage == Stage.Bias:
                TakeBias(node, label);
                break;
            case "Add":
                throw Fail($"{label} is not supported here: an Add may only add a bias right after a MatMul");
            case "Relu" when _stage is Stage.Linear or Stage.Bias:
                RequireData(node, label, 0);
                _stage = Stage.Relu;
                break;
            case "Relu":
                throw Fail($"{label} is not supported here: a Relu must follow a layer");
            default:
                throw Fail($"{label} is not supported: {SupportedOperators}");
        }

        _current = node.Output[0];
    }

    private void TakeConstant(NodeProto node, string label)
    {
        var value = node.Attribute.FirstOrDefault(a => a.Name == "value" && a.T is not null)?.T;
        if (value is null || node.Output.Count != 1)
        {
            throw Fail($"{label} is not supported: only a Constant holding one tensor ('value') can give weights");
        }

        _constants[node.Output[0]] = value;
    }

    private void TakeGemm(NodeProto node, string label)
    {
        BeginLayer(node, label);
        if (Integer(node, "transA", 0) != 0)
        {
            throw Fail($"{label} has transA=1; a layer takes its input untransposed");
        }

        bool transposed = Integer(node, "transB", 0) != 0;
        var (weight, rows, columns) = Weight(node, label, transposed);
        Scale(weight, Real(node, "alpha", 1f));
        float[]? bias = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            bias = Bias(node, label, node.Input[2], rows);
            Scale(bias, Real(node, "beta", 1f));
        }

        AddLayer(new DenseLayer(rows, columns, weight, bias), Stage.Linear);
    }

    private void TakeMatMul(NodeProto node, string label)
    {
        BeginLayer(node, label);
        var (weight, rows, columns) = Weight(node, label, transposed: false);
        AddLayer(new DenseLayer(rows, columns, weight, null), Stage.Bias);
    }

    private void TakeBias(NodeProto node, string label)
    {
        if (node.Input.Count != 2 || !node.Input.Contains(_current))
        {
            throw Fail($"{label} does not take the previous layer's output '{_current}'");
        }

        var layer = _layers[^1];
        var name = node.Input[0] == _current ? node.Input[1] : node.Input[0];
        _layers[^1] = new DenseLayer(layer.Rows, layer.Columns, layer.Weights, Bias(node, label, name, layer.Rows));
        _stage = Stage.Linear;
    }

    private void BeginLayer(NodeProto node, string label)
    {
        if (_stage is Stage.Linear or Stage.Bias)
        {
            throw Fail($"{label} follows layer {_layers.Count - 1} without a Relu between them; a QSIM network has a ReLU between every two layers");
        }

        RequireData(node, label, 0);
        if (node.Input.Count < 2)
        {
            throw Fail($"{label} has no weight input");
        }
    }

    // ONNX's B is [inputs, outputs] unless transposed (PyTorch's Linear exports [outputs, inputs] with transB=1);
    // a DenseLayer holds [outputs, inputs] row-major.
    private (float[] Weights, int Rows, int Columns) Weight(NodeProto node, string label, bool transposed)
    {
        var name = node.Input[1];
        var tensor = Constant(label, name);
        var values = Values(label, name, tensor);
        if (tensor.Dims.Count != 2)
        {
            throw Fail($"{label}: weight '{name}' has {tensor.Dims.Count} dimensions; a layer's weight has 2");
        }

        int rows = (int)tensor.Dims[transposed ? 0 : 1];
        int columns = (int)tensor.Dims[transposed ? 1 : 0];
        if (rows == 0 || columns == 0)
        {
            throw Fail($"{label}: weight '{name}' is empty ({tensor.Dims[0]}x{tensor.Dims[1]})");
        }

        int expected = _layers.Count > 0 ? _layers[^1].Rows : DeclaredWidth(flattened: _stage == Stage.Flattened) ?? columns;
        if (columns != expected)
        {
            var source = _layers.Count > 0 ? $"the previous layer gives {expected}" : $"the graph input '{_input.Name}' has {expected}";
            throw Fail($"{label}: weight '{name}' takes {columns} inputs but {source}");
        }

        if (transposed)
        {
            return (values, rows, columns);
        }

        var weights = new float[values.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                weights[i * columns + j] = values[j * rows + i];
            }
        }

        return (weights, rows, columns);
    }

    private float[] Bias(NodeProto node, string label, string name, int rows)
    {
        var tensor = Constant(label, name);
        var values = Values(label, name, tensor);
        if (values.Length != rows || tensor.Dims.Count(dim => dim != 1) > 1)
        {
            throw Fail($"{label}: bias '{name}' has shape [{string.Join(", ", tensor.Dims)}]; the layer has {rows} outputs");
        }

        return values;
    }

    private TensorProto Constant(string label, string name) =>
        _constants.TryGetValue(name, out var tensor)
            ? tensor
            : throw Fail($"{label}: initializer '{name}' is missing; a layer's weights must be stored in the graph");

    private float[] Values(string label, string name, TensorProto tensor) =>
        OnnxTensors.ReadFloats(tensor, out var problem) ?? throw Fail($"{label}: initializer '{name}' {problem}");

    private void AddLayer(DenseLayer layer, Stage stage)
    {
        _layers.Add(layer);
        _stage = stage;
    }

    private void RequireData(NodeProto node, string label, int input)
    {
        if (node.Input.Count <= input || node.Input[input] != _current)
        {
            throw Fail($"{label} does not take the previous layer's output '{_current}'");
        }
    }

    // The width of one sample as the graph input declares it, when the dimensions that make it are fixed:
    // all after the batch once flattened, else the last (a MatMul acts on the last axis).
    private int? DeclaredWidth(bool flattened)
    {
        var shape = _input.Type?.TensorType?.Shape;
        if (shape is null || shape.Dim.Count < 2)
        {
            return null;
        }

        var dims = flattened ? shape.Dim.Skip(1).ToArray() : [shape.Dim[^1]];
        if (dims.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue))
        {
            return null;
        }

        long width = dims.Aggregate(1L, (product, d) => product * d.DimValue);
        return width is > 0 and <= int.MaxValue ? (int)width : null;
    }

    private static long Integer(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : fallback;

    private static float Real(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : fallback;

    private static void Scale(float[] values, float factor)
    {
        if (factor != 1f)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] *= factor;
            }
        }
    }

    private OnnxModelException Fail(string problem) => new(_path, problem);
}
