using QSI.Federation.Models.Onnx.Proto;

namespace QSI.Federation.Models.Onnx;

/// <summary>
/// Builds the ONNX model of a network in the shape <c>torch.onnx.export</c> gives the equivalent
/// <c>nn.Sequential</c>: layer l is module 2l, a Gemm (alpha = beta = 1, transB = 1) over initializers
/// "2l.weight" [outputs, inputs] and "2l.bias", and module 2l + 1 its Relu; the batch dimension is symbolic.
/// </summary>
internal static class OnnxGraphWriter
{
    /// <summary>The model proto of <paramref name="network"/>.</summary>
    public static ModelProto Model(Mlp network)
    {
        var graph = new GraphProto { Name = "main_graph" };
        graph.Input.Add(Value(OnnxModel.InputName, network.InputSize));
        graph.Output.Add(Value(OnnxModel.OutputName, network.OutputSize));
        var current = OnnxModel.InputName;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            bool last = l == network.Layers.Count - 1;
            int module = 2 * l;
            var gemm = new NodeProto { Name = $"/{module}/Gemm", OpType = "Gemm", Output = { last ? OnnxModel.OutputName : $"/{module}/Gemm_output_0" } };
            gemm.Input.Add(current);
            gemm.Input.Add($"{module}.weight");
            graph.Initializer.Add(OnnxTensors.Float($"{module}.weight", layer.Weights, layer.Rows, layer.Columns));
            if (layer.Bias is not null)
            {
                gemm.Input.Add($"{module}.bias");
                graph.Initializer.Add(OnnxTensors.Float($"{module}.bias", layer.Bias, layer.Rows));
            }

            gemm.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
            gemm.Attribute.Add(new AttributeProto { Name = "beta", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
            gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(gemm);
            current = gemm.Output[0];
            if (!last)
            {
                var relu = new NodeProto { Name = $"/{module + 1}/Relu", OpType = "Relu", Input = { current }, Output = { $"/{module + 1}/Relu_output_0" } };
                graph.Node.Add(relu);
                current = relu.Output[0];
            }
        }

        var model = new ModelProto
        {
            IrVersion = OnnxModel.IrVersion,
            ProducerName = "qsi",
            ProducerVersion = typeof(OnnxGraphWriter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxModel.Opset });
        return model;
    }

    // A float32 tensor of shape [batch, width], the batch dimension left symbolic.
    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
