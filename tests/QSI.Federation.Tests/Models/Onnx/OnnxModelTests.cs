using Google.Protobuf;
using QSI.Federation.Models;
using QSI.Federation.Models.Onnx;
using static QSI.Federation.Tests.Models.Onnx.OnnxFixtureTests;

namespace QSI.Federation.Tests.Models.Onnx;

/// <summary>Export checked by ONNX Runtime, export-import round trips, and the one-line errors of the import.</summary>
public sealed class OnnxModelTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Exported_network_gives_onnx_runtime_its_own_logits(bool bias)
    {
        var random = new Random(11);
        var network = Mlp.Create([12, 10, 7, 4], bias, random);
        var samples = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();

        var reference = OnnxRuntimeReference.Run(OnnxModel.Serialize(network), samples);

        AssertLogits(reference, Forward(network, samples));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Export_then_import_gives_identical_weights(bool bias)
    {
        var network = Mlp.Create([20, 9, 5], bias, new Random(5));

        var imported = OnnxModel.Parse(OnnxModel.Serialize(network), "net.onnx");

        Assert.Equal(ModelFile.Serialize(network), ModelFile.Serialize(imported.Network));
        Assert.Equal(OnnxModel.Opset, imported.Opset);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused()
    {
        var qsim = ModelFile.Serialize(Mlp.Create([4, 2], true, new Random(1)));

        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(qsim, "net.qsim"));

        Assert.StartsWith("net.qsim: not an ONNX model (", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Import("no/such/net.onnx"));

        Assert.Equal("no/such/net.onnx: file not found", error.Message);
    }

    [Fact]
    public void A_layer_whose_width_does_not_chain_is_refused()
    {
        var layers = TorchStyleOnnx.LinearLayers([16, 8, 3], new Random(2));
        layers[1] = TorchStyleOnnx.LinearLayers([7, 3], new Random(3))[0];

        Assert.Equal("m.onnx: node '/2/Gemm' (Gemm): weight '2.weight' takes 7 inputs but the previous layer gives 8", Problem(TorchStyleOnnx.Gemm(layers)));
    }

    [Fact]
    public void A_first_layer_that_does_not_fit_the_declared_input_is_refused()
    {
        var model = TorchStyleOnnx.Gemm(TorchStyleOnnx.LinearLayers([16, 3], new Random(2)));
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 15;

        Assert.Equal("m.onnx: node '/0/Gemm' (Gemm): weight '0.weight' takes 16 inputs but the graph input 'input' has 15", Problem(model));
    }

    [Fact]
    public void A_missing_initializer_is_named()
    {
        var model = TorchStyleOnnx.Gemm(TorchStyleOnnx.LinearLayers([16, 8, 3], new Random(2)));
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "2.bias"));

        Assert.Equal("m.onnx: node '/2/Gemm' (Gemm): initializer '2.bias' is missing; a layer's weights must be stored in the graph", Problem(model));
    }

    [Fact]
    public void Two_layers_without_a_relu_between_them_are_refused()
    {
        var model = TorchStyleOnnx.Gemm(TorchStyleOnnx.LinearLayers([16, 8, 3], new Random(2)));
        var relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        model.Graph.Node.Remove(relu);
        model.Graph.Node.Single(n => n.Name == "/2/Gemm").Input[0] = relu.Input[0];

        Assert.Equal("m.onnx: node '/2/Gemm' (Gemm) follows layer 0 without a Relu between them; a QSIM network has a ReLU between every two layers", Problem(model));
    }

    [Fact]
    public void A_sigmoid_is_named_as_the_first_unsupported_node()
    {
        var model = TorchStyleOnnx.Gemm(TorchStyleOnnx.LinearLayers([16, 8, 3], new Random(2)));
        model.Graph.Node.Single(n => n.OpType == "Relu").OpType = "Sigmoid";

        Assert.Equal("m.onnx: node '/1/Relu' (Sigmoid) is not supported: only Gemm, MatMul, Add, Relu, Flatten, Reshape make an MLP", Problem(model));
    }

    [Fact]
    public void A_flatten_of_the_input_is_accepted_and_its_width_is_the_product_of_the_sample_axes()
    {
        var layers = TorchStyleOnnx.LinearLayers([16, 3], new Random(2));
        var model = TorchStyleOnnx.Gemm(layers);
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[1].DimValue = 4;
        dims.Add(new QSI.Federation.Models.Onnx.Proto.TensorShapeProto.Types.Dimension { DimValue = 4 });
        model.Graph.Node.Insert(0, TorchStyleOnnx.Node("/0/Flatten", "Flatten", ["input"], "/0/Flatten_output_0"));
        model.Graph.Node[1].Input[0] = "/0/Flatten_output_0";

        var network = OnnxModel.Parse(model.ToByteArray(), "m.onnx").Network;

        Assert.Equal([16, 3], network.Sizes);
        Assert.Equal(layers[0].Weight, network.Layers[0].Weights);
    }

    private static string Problem(QSI.Federation.Models.Onnx.Proto.ModelProto model) =>
        Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(model.ToByteArray(), "m.onnx")).Message;
}
