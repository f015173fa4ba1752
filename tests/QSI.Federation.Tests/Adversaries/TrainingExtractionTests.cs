using QSI.Federation.Adversaries;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Strategies;
using QSI.Federation.Tests.Inference;
using QSI.Federation.Training;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Adversaries;

public class TrainingExtractionTests(ITestOutputHelper output)
{
    private const int Epochs = 4, BatchSize = 16;
    private static readonly Data.LabeledImagesSample Data = new(SmallClassifier.Images(96, seed: 4));

    [Fact]
    public void Through_local_training_the_observer_sees_the_frame_estimates_without_the_clients_own_change_and_the_estimate_improves()
    {
        var model = Mlp.Create([64, 12, 4], bias: true, new Random(1));
        var shape = ModelShape.Of(model);
        var copies = Epochs * Data.Labels.Length;
        var extractor = new WeightExtractor(shape, gain: 2);
        var batches = Data.Labels.Length / BatchSize;
        var recorder = new RecordingObserver(extractor, model, snapshotsAfterBatches: [1, batches, Epochs * batches]);
        // The twin measures identical frames with the same noise stream and no ΔW: its outputs are
        // what the detector gave, and must be exactly what the observer saw.
        var channel = new TwinnedChannel(Channel(model, copies, recorder), Channel(model, copies, observer: null));
        var plan = new LocalTrainingPlan { Epochs = Epochs, BatchSize = BatchSize, LearningRate = 0.1 };

        var trained = new LocalTrainer(shape, BatchSize).Train(channel, Data.Inputs, Data.Labels, plan, new Random(7));

        Assert.Contains(trained.Delta, d => d != 0);
        Assert.Equal(channel.Calls.Count, recorder.Seen.Count);
        Assert.Equal(Epochs * batches * 3, channel.Calls.Count);
        for (var k = 0; k < channel.Calls.Count; k++)
        {
            var (call, seen) = (channel.Calls[k], recorder.Seen[k]);
            Assert.Equal((call.Layer, call.Orientation), (seen.Layer, seen.Orientation));
            Assert.Equal(call.Twin, seen.Estimates);
            for (var e = 0; e < call.Outputs.Length; e++)
                Assert.True(Math.Abs(call.Outputs[e] - seen.Estimates[e] - call.Own[e]) <= 1e-5f * Math.Max(1, Math.Abs(call.Outputs[e])),
                    $"call {k}, element {e}: the channel gave {call.Outputs[e]}, the detector {seen.Estimates[e]}, ΔW z is {call.Own[e]}");
        }

        var snapshots = recorder.Snapshots;
        for (var l = 0; l < shape.Depth; l++)
        {
            var errors = snapshots.Select(s => s[l].RelativeError).ToArray();
            output.WriteLine($"layer {l}: relative error {string.Join(" -> ", errors.Select(e => e.ToString("F3")))}; " +
                $"{snapshots[^1][l].BitsPerWeight:F3} bits per weight learned, {snapshots[^1][l].Estimate.ExpectedBitsPerWeight:F3} expected, bound {snapshots[^1][l].Estimate.BoundBitsPerWeight:F3}");
            Assert.Equal(errors.OrderDescending(), errors);
            Assert.True(errors[^1] < 0.9 * errors[0], $"layer {l}: the error went from {errors[0]} to {errors[^1]} only");
            Assert.True(snapshots[^1][l].Margin > 0, $"FINDING: layer {l} gave {snapshots[^1][l].BitsPerWeight} bits per weight, above its bound {snapshots[^1][l].Estimate.BoundBitsPerWeight}");
        }

        // The light is what the federation charges for the task: LeakageCost over 384 copies of each frame.
        var charged = LeakageCost.Of(shape, new ChannelSettings(4, 2), copies, copies, Epochs);
        var final = extractor.EstimateAll();
        for (var l = 0; l < shape.Depth; l++)
        {
            Assert.Equal(charged[l].WeightBitsPerWeight, final[l].AccountBitsPerWeight, 12);
            Assert.Equal(charged[l].WeightBitsPerWeight, final[l].BoundBitsPerWeight, 12);
            Assert.Equal(copies, final[l].ForwardCopies);
        }
        Assert.Equal(copies, final[1].TransposedCopies);

        // Layer 1 is seen both ways; the joint posterior is better than either regression alone.
        var forward = extractor.Estimate(1, FrameOrientation.Forward);
        var transposed = extractor.Estimate(1, FrameOrientation.Transposed);
        output.WriteLine($"layer 1 expected relative error: forward {forward.ExpectedRelativeError:F3}, transposed {transposed.ExpectedRelativeError:F3}, joint {final[1].ExpectedRelativeError:F3}");
        output.WriteLine($"layer 1 measured relative error: forward {LayerExtraction.RelativeErrorOf(forward.Weights, model.Layers[1]):F3}, " +
            $"transposed {LayerExtraction.RelativeErrorOf(transposed.Weights, model.Layers[1]):F3}, joint {LayerExtraction.RelativeErrorOf(final[1].Weights, model.Layers[1]):F3}");
        Assert.True(final[1].ExpectedSquaredError < Math.Min(forward.ExpectedSquaredError, transposed.ExpectedSquaredError));
        Assert.Equal(0, transposed.ForwardCopies);
        Assert.True(transposed.BoundBitsPerWeight < final[1].BoundBitsPerWeight);
    }

    private static OpticalWeightChannel Channel(Mlp model, int copies, IMeasurementObserver? observer)
    {
        var network = new OpticalNetwork(model);
        var forward = Enumerable.Range(0, 2).Select(l => network.EncodeLayer(l, 4, copies).Light).ToArray();
        var backward = new[] { null, network.EncodeTransposedLayer(1, 4, copies).Light };
        return new OpticalWeightChannel(ModelShape.Of(model), new RoundFrames(forward, backward), new ClientDevice(2), NoiseSource.Seeded(5), observer);
    }

    private sealed record Seen(int Layer, FrameOrientation Orientation, float[] Estimates);

    /// <summary>Keeps a copy of everything observed, passes it on, and measures the extractor after some batches.</summary>
    private sealed class RecordingObserver(WeightExtractor extractor, Mlp truth, int[] snapshotsAfterBatches) : IMeasurementObserver
    {
        private int _batches;

        public List<Seen> Seen { get; } = [];

        public List<IReadOnlyList<LayerExtraction>> Snapshots { get; } = [];

        public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates)
        {
            Seen.Add(new Seen(layer, orientation, estimates.ToArray()));
            extractor.Observe(layer, orientation, frame, inputs, count, estimates);
            // A batch ends with its last product, W_1^T delta.
            if (orientation == FrameOrientation.Transposed && snapshotsAfterBatches.Contains(++_batches)) Snapshots.Add(extractor.Against(truth));
        }
    }

    private sealed record Call(int Layer, FrameOrientation Orientation, float[] Outputs, float[] Twin, float[] Own);

    /// <summary>Passes every product to the channel under test and repeats it, without ΔW, on its twin.</summary>
    private sealed class TwinnedChannel(IWeightChannel tested, IWeightChannel twin) : IWeightChannel
    {
        public List<Call> Calls { get; } = [];

        public void Forward(int layer, DenseLayer? change, float[] inputs, int count, float[] outputs)
        {
            tested.Forward(layer, change, inputs, count, outputs);
            var own = new float[count * change!.Rows];
            for (var b = 0; b < count; b++)
                for (var i = 0; i < change.Rows; i++)
                {
                    double sum = change.Bias![i];
                    for (var j = 0; j < change.Columns; j++) sum += change.Weights[i * change.Columns + j] * inputs[b * change.Columns + j];
                    own[b * change.Rows + i] = (float)sum;
                }
            Record(layer, FrameOrientation.Forward, outputs, own, t => twin.Forward(layer, null, inputs, count, t));
        }

        public void Backward(int layer, DenseLayer? change, float[] deltas, int count, float[] outputs)
        {
            tested.Backward(layer, change, deltas, count, outputs);
            var own = new float[count * change!.Columns];
            for (var b = 0; b < count; b++)
                for (var j = 0; j < change.Columns; j++)
                {
                    double sum = 0;
                    for (var i = 0; i < change.Rows; i++) sum += change.Weights[i * change.Columns + j] * deltas[b * change.Rows + i];
                    own[b * change.Columns + j] = (float)sum;
                }
            Record(layer, FrameOrientation.Transposed, outputs, own, t => twin.Backward(layer, null, deltas, count, t));
        }

        private void Record(int layer, FrameOrientation orientation, float[] outputs, float[] own, Action<float[]> measureTwin)
        {
            var twinOutputs = new float[outputs.Length];
            measureTwin(twinOutputs);
            Calls.Add(new Call(layer, orientation, outputs[..own.Length], twinOutputs[..own.Length], own));
        }
    }
}
