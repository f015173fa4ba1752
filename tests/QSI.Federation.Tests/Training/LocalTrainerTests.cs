using QSI.Federation.Inference;
using QSI.Federation.Tests.Inference;
using QSI.Federation.Models;
using QSI.Federation.Strategies;
using QSI.Federation.Training;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;

namespace QSI.Federation.Tests.Training;

public class LocalTrainerTests
{
    private static readonly Data.LabeledImagesSample Data = new(SmallClassifier.Images(96, seed: 4));

    [Fact]
    public void In_the_clear_local_training_is_plain_sgd_on_the_global_model()
    {
        var model = Mlp.Create([64, 12, 4], bias: true, new Random(1));
        var plan = new LocalTrainingPlan { Epochs = 2, BatchSize = 16, LearningRate = 0.1 };
        var trainer = new LocalTrainer(ModelShape.Of(model), 16);

        var result = trainer.Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan, new Random(7));

        // The same steps taken on a copy of W directly: shuffle with the same generator, backpropagate, p -= lr g.
        var copy = model.Clone();
        var backpropagation = new Backpropagation(copy, 16);
        var order = Enumerable.Range(0, Data.Labels.Length).ToArray();
        var shuffle = new Random(7);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            shuffle.Shuffle(order);
            for (var start = 0; start < order.Length; start += 16)
            {
                var batch = order[start..(start + 16)];
                backpropagation.Compute(batch.SelectMany(i => Data.Inputs[(i * 64)..((i + 1) * 64)]).ToArray(), batch.Select(i => Data.Labels[i]).ToArray(), 16);
                for (var p = 0; p < copy.Parameters.Count; p++)
                    for (var k = 0; k < copy.Parameters[p].Length; k++) copy.Parameters[p][k] -= 0.1f * backpropagation.Gradients[p][k];
            }
        }
        var expected = ModelParameters.Flatten(copy).Zip(ModelParameters.Flatten(model), (a, b) => a - b).ToArray();
        Assert.Equal(12, result.Steps);
        Assert.Equal(expected.Length, result.Delta.Length);
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], result.Delta[k], 1e-5f);
    }

    [Fact]
    public void With_a_proximal_term_each_step_shrinks_the_change_before_descending()
    {
        var model = Mlp.Create([64, 12, 4], bias: true, new Random(1));
        var plan = new LocalTrainingPlan { Epochs = 1, BatchSize = 16, LearningRate = 0.1, ProximalTerm = 2 };
        var result = new LocalTrainer(ModelShape.Of(model), 16).Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan, new Random(7));

        // ΔW ← (1 - lr mu) ΔW - lr g, g the gradient at W + ΔW, by hand on a copy of W + ΔW.
        var local = model.Clone();
        var backpropagation = new Backpropagation(local, 16);
        var order = Enumerable.Range(0, Data.Labels.Length).ToArray();
        new Random(7).Shuffle(order);
        var global = ModelParameters.Flatten(model);
        for (var start = 0; start < order.Length; start += 16)
        {
            var batch = order[start..(start + 16)];
            backpropagation.Compute(batch.SelectMany(i => Data.Inputs[(i * 64)..((i + 1) * 64)]).ToArray(), batch.Select(i => Data.Labels[i]).ToArray(), 16);
            var offset = 0;
            for (var p = 0; p < local.Parameters.Count; p++)
            {
                for (var k = 0; k < local.Parameters[p].Length; k++)
                {
                    var change = local.Parameters[p][k] - global[offset + k];
                    local.Parameters[p][k] = global[offset + k] + 0.8f * change - 0.1f * backpropagation.Gradients[p][k];
                }
                offset += local.Parameters[p].Length;
            }
        }
        var expected = ModelParameters.Flatten(local).Zip(global, (a, b) => a - b).ToArray();
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], result.Delta[k], 1e-5f);
    }

    [Fact]
    public void Fedsgd_takes_one_step_along_the_mean_gradient_of_all_samples()
    {
        var model = Mlp.Create([64, 12, 4], bias: false, new Random(1));
        var plan = new LocalTrainingPlan { BatchSize = 32, LearningRate = 0.5, SingleStep = true };

        var result = new LocalTrainer(ModelShape.Of(model), 32).Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan, new Random(3));

        var all = new Backpropagation(model.Clone(), Data.Labels.Length);
        all.Compute(Data.Inputs, Data.Labels, Data.Labels.Length);
        var gradient = all.Gradients.SelectMany(g => g).ToArray();
        Assert.Equal(1, result.Steps);
        for (var k = 0; k < gradient.Length; k++) Assert.Equal(-0.5f * gradient[k], result.Delta[k], 1e-5f);
    }

    [Fact]
    public void The_proximal_term_keeps_the_local_model_closer_to_the_global_one()
    {
        var model = Mlp.Create([64, 12, 4], bias: false, new Random(1));
        var trainer = new LocalTrainer(ModelShape.Of(model), 16);
        var plan = new LocalTrainingPlan { Epochs = 3, BatchSize = 16, LearningRate = 0.1 };

        var free = trainer.Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan, new Random(2)).Delta;
        var held = trainer.Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan with { ProximalTerm = 2 }, new Random(2)).Delta;

        Assert.True(Norm(held) < 0.95 * Norm(free), $"|delta| {Norm(held)} with mu = 2, {Norm(free)} without");
    }

    [Fact]
    public void Through_frames_training_uses_exactly_one_copy_per_sample_and_pass_and_approaches_the_clear_result_as_light_brightens()
    {
        var model = Mlp.Create([64, 12, 4], bias: true, new Random(1));
        var shape = ModelShape.Of(model);
        var plan = new LocalTrainingPlan { Epochs = 2, BatchSize = 16, LearningRate = 0.1 };
        var clear = new LocalTrainer(shape, 16).Train(new ClearWeightChannel(model), Data.Inputs, Data.Labels, plan, new Random(7)).Delta;
        var uses = 2 * Data.Labels.Length;

        var (dim, dimFrames) = Secure(model, plan, photons: 4, uses);
        var (bright, brightFrames) = Secure(model, plan, photons: 1e10, uses);

        Assert.All(dimFrames.Concat(brightFrames), f => Assert.Equal(0, f.CopiesRemaining));
        Assert.InRange(Distance(bright, clear) / Norm(clear), 0, 1e-3);
        Assert.InRange(Distance(dim, clear) / Norm(clear), 0.01, 2);
        var tooFew = Assert.Throws<FrameConsumedException>(() => Secure(model, plan, photons: 4, uses - 1));
        Assert.Contains("measured only once", tooFew.Message);
    }

    private static (float[] Delta, CoherentFrame[] Frames) Secure(Mlp model, LocalTrainingPlan plan, double photons, int copies)
    {
        var network = new OpticalNetwork(model);
        var forward = Enumerable.Range(0, 2).Select(l => network.EncodeLayer(l, photons, copies).Light).ToArray();
        var backward = new[] { null, network.EncodeTransposedLayer(1, photons, copies).Light };
        var channel = new OpticalWeightChannel(ModelShape.Of(model), new RoundFrames(forward, backward), new ClientDevice(2), NoiseSource.Seeded(5));
        var result = new LocalTrainer(ModelShape.Of(model), 16).Train(channel, Data.Inputs, Data.Labels, plan, new Random(7));
        var residuals = channel.TakeResiduals();
        Assert.Equal(3, residuals.Count);
        Assert.All(residuals, r => Assert.Equal(copies, r.Uses));
        return (result.Delta, [.. forward, backward[1]!]);
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b).Sum(p => (double)(p.First - p.Second) * (p.First - p.Second)));
}
