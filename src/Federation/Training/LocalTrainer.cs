using System.Numerics.Tensors;
using QSI.Federation.Models;
using QSI.Federation.Strategies;

namespace QSI.Federation.Training;

/// <summary>What a client's local training produced in one round.</summary>
/// <param name="Delta">The change ΔW to the global parameters, flat in the order of <see cref="Mlp.Parameters"/>.</param>
/// <param name="Samples">Local samples trained on.</param>
/// <param name="Steps">SGD steps taken.</param>
/// <param name="Loss">Mean training loss over every sample of every epoch, measured before each step.</param>
public sealed record LocalTrainingResult(float[] Delta, int Samples, int Steps, double Loss);

/// <summary>
/// A client's local SGD without seeing W (PROTOCOL.md section 6): it keeps its own ΔW (zero at
/// the start of a round) and asks its channel for the products with W + ΔW, which through frames
/// are frame(W) z + ΔW z and frame(W^T) δ + ΔW^T δ. Gradients δ a^T it forms itself from values
/// it measured or owns. The same code trains through frames and, for the baseline, in the clear.
/// </summary>
public sealed class LocalTrainer
{
    private readonly ModelShape _shape;
    private readonly int _capacity;
    private readonly Mlp _delta;
    private readonly float[][] _outputs;      // h_l = (W + ΔW) a_(l-1): pre-activations, then activations a_l in place
    private readonly float[][] _deltas;       // dL/dh_l
    private readonly float[] _scaledDeltas;   // -lr dL/dh_l of the fused step
    private readonly float[][] _gradients;    // in the order of Mlp.Parameters
    private readonly float[] _batchInputs;
    private readonly byte[] _batchLabels;
    private readonly int[] _batchSamples;
    private float[] _source = [];             // the task's inputs the batch was gathered from

    /// <summary>A trainer for models of <paramref name="shape"/> and batches of up to <paramref name="maxBatchSize"/>.</summary>
    public LocalTrainer(ModelShape shape, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _shape = shape;
        _capacity = maxBatchSize;
        _delta = shape.Zeros();
        var widest = shape.Sizes.Max();
        _outputs = _delta.Layers.Select(l => new float[maxBatchSize * l.Rows]).ToArray();
        _deltas = _delta.Layers.Select(l => new float[maxBatchSize * l.Rows]).ToArray();
        _scaledDeltas = new float[maxBatchSize * widest];
        _gradients = _delta.Parameters.Select(p => new float[p.Length]).ToArray();
        _batchInputs = new float[maxBatchSize * shape.Sizes[0]];
        _batchLabels = new byte[maxBatchSize];
        _batchSamples = new int[maxBatchSize];
    }

    /// <summary>
    /// Trains ΔW from zero on <paramref name="inputs"/> (row-major samples) through
    /// <paramref name="channel"/>, as <paramref name="plan"/> asks.
    /// </summary>
    public LocalTrainingResult Train(
        IWeightChannel channel, float[] inputs, byte[] labels, LocalTrainingPlan plan, Random shuffle,
        CancellationToken cancellationToken = default)
    {
        var samples = labels.Length;
        if (samples == 0) throw new ArgumentException("a client needs at least one sample to train", nameof(labels));
        var batchSize = Math.Min(plan.BatchSize, _capacity);
        foreach (var p in _delta.Parameters) Array.Clear(p);
        var order = Enumerable.Range(0, samples).ToArray();
        var epochs = plan.SingleStep ? 1 : plan.Epochs;
        double lossSum = 0;
        var steps = 0;
        var accumulated = plan.SingleStep ? _delta.Parameters.Select(p => new float[p.Length]).ToArray() : null;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            shuffle.Shuffle(order);
            for (var start = 0; start < samples; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, samples - start);
                Gather(inputs, labels, order.AsSpan(start, count));
                if (accumulated is null)
                {
                    lossSum += count * ForwardBackward(channel, count, plan);
                    steps++;
                }
                else
                {
                    lossSum += count * ForwardBackward(channel, count, descend: null);
                    for (var p = 0; p < accumulated.Length; p++) TensorPrimitives.MultiplyAdd(_gradients[p], count, accumulated[p], accumulated[p]);
                }
            }
        }
        if (accumulated is not null)
        {
            for (var p = 0; p < accumulated.Length; p++) TensorPrimitives.Multiply(accumulated[p], 1f / samples, _gradients[p]);
            Step(plan);
            steps = 1;
        }
        return new LocalTrainingResult(ModelParameters.Flatten(_delta), samples, steps, lossSum / (samples * (double)epochs));
    }

    /// <summary>Evaluates the global model (ΔW = 0) on <paramref name="inputs"/> through <paramref name="channel"/>.</summary>
    public Evaluation Evaluate(IWeightChannel channel, float[] inputs, byte[] labels)
    {
        var classes = _shape.Sizes[^1];
        int correct = 0;
        double loss = 0;
        var all = Enumerable.Range(0, labels.Length).ToArray();
        for (var start = 0; start < labels.Length; start += _capacity)
        {
            var count = Math.Min(_capacity, labels.Length - start);
            Gather(inputs, labels, all.AsSpan(start, count));
            var logits = Forward(channel, count, withDelta: false);
            for (var b = 0; b < count; b++)
            {
                var z = logits.AsSpan(b * classes, classes);
                if (TensorPrimitives.IndexOfMax(z) == _batchLabels[b]) correct++;
                loss += SoftmaxCrossEntropy.Loss(z, _batchLabels[b]);
            }
        }
        return new Evaluation(labels.Length, correct, labels.Length == 0 ? 0 : loss / labels.Length);
    }

    private void Gather(float[] inputs, byte[] labels, ReadOnlySpan<int> samples)
    {
        var width = _shape.Sizes[0];
        _source = inputs;
        samples.CopyTo(_batchSamples);
        for (var b = 0; b < samples.Length; b++)
        {
            inputs.AsSpan(samples[b] * width, width).CopyTo(_batchInputs.AsSpan(b * width));
            _batchLabels[b] = labels[samples[b]];
        }
    }

    private float[] Forward(IWeightChannel channel, int count, bool withDelta)
    {
        var input = _batchInputs;
        for (var l = 0; l < _shape.Depth; l++)
        {
            var h = _outputs[l];
            var change = withDelta ? _delta.Layers[l] : null;
            if (l == 0) channel.ForwardSamples(change, _source, _batchSamples.AsSpan(0, count), input, h);
            else channel.Forward(l, change, input, count, h);
            if (l < _shape.Depth - 1) TensorPrimitives.Max(h.AsSpan(0, count * _shape.Sizes[l + 1]), 0f, h);
            input = h;
        }
        return _outputs[^1];
    }

    // Backpropagates the batch's mean loss at W + ΔW and returns it. With a plan to descend, each layer's
    // ΔW takes its step as soon as the layer has passed its delta down (the step fused with the weight
    // gradient, which is never stored); without, _gradients receives d(mean loss)/dW.
    private double ForwardBackward(IWeightChannel channel, int count, LocalTrainingPlan? descend)
    {
        var last = _shape.Depth - 1;
        var logits = Forward(channel, count, withDelta: true);
        var loss = SoftmaxCrossEntropy.LossAndGradient(logits, _batchLabels, count, _shape.Sizes[^1], _deltas[last]);
        var g = _gradients.Length - 1;
        for (var l = last; l >= 0; l--)
        {
            var layer = _delta.Layers[l];
            var input = l == 0 ? _batchInputs : _outputs[l - 1];
            if (l > 0)
            {
                // δ_(l-1) = ((W + ΔW)^T δ_l) masked by ReLU' at a_(l-1), with ΔW_l before its step.
                var below = _deltas[l - 1];
                channel.Backward(l, layer, _deltas[l], count, below);
                var activations = _outputs[l - 1];
                for (var k = 0; k < count * layer.Columns; k++)
                    if (activations[k] <= 0f) below[k] = 0f;
            }
            if (descend is not null)
            {
                Descend(layer, _deltas[l], input, count, descend);
                continue;
            }
            var biasGradient = layer.Bias is null ? null : _gradients[g--];
            DenseKernels.WeightGradient(layer, _deltas[l], input, count, _gradients[g--], biasGradient, _scaledDeltas);
        }
        return loss;
    }

    // ΔW ← (1 - lr mu) ΔW - lr δ^T a: the step of Step below for one layer, its gradient summed straight into ΔW.
    private void Descend(DenseLayer layer, float[] deltas, float[] input, int count, LocalTrainingPlan plan)
    {
        var decay = 1f - (float)(plan.LearningRate * plan.ProximalTerm);
        if (decay != 1f)
        {
            TensorPrimitives.Multiply(layer.Weights, decay, layer.Weights);
            if (layer.Bias is { } bias) TensorPrimitives.Multiply(bias, decay, bias);
        }
        var scaled = _scaledDeltas.AsSpan(0, count * layer.Rows);
        TensorPrimitives.Multiply(deltas.AsSpan(0, scaled.Length), -(float)plan.LearningRate, scaled);
        DenseKernels.AddWeightGradient(layer, scaled, input, count);
    }

    // ΔW -= lr (g + mu ΔW): FedProx's proximal term pulls W + ΔW towards W, i.e. ΔW towards 0.
    private void Step(LocalTrainingPlan plan)
    {
        var rate = (float)plan.LearningRate;
        var decay = 1f - (float)(plan.LearningRate * plan.ProximalTerm);
        for (var p = 0; p < _gradients.Length; p++)
        {
            var parameters = _delta.Parameters[p];
            if (decay != 1f) TensorPrimitives.Multiply(parameters, decay, parameters);
            TensorPrimitives.MultiplyAdd(_gradients[p], -rate, parameters, parameters);
        }
    }
}
