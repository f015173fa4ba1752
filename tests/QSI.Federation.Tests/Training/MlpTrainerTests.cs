using QSI.Federation.Models;
using QSI.Federation.Training;

namespace QSI.Federation.Tests.Training;

public sealed class MlpTrainerTests
{
    [Fact]
    public void Training_on_four_gaussian_blobs_reaches_95_percent_test_accuracy()
    {
        // Centres ~N(0, 1) in 20 dimensions sit about sqrt(40) = 6.3 noise widths apart: the best possible
        // accuracy is above 99 %, while an untrained network is near chance (25 %).
        var (train, test) = GaussianBlobs.Split(2000, 1000, features: 20, classes: 4, spread: 1.0, seed: 42);
        Mlp model = Mlp.Create([20, 32, 4], bias: true, new Random(1));
        double before = model.Evaluate(test.Inputs, test.Labels);
        var trainer = new MlpTrainer(model, new TrainingOptions { Epochs = 10, BatchSize = 32, Seed = 7 });

        IReadOnlyList<EpochSummary> epochs = trainer.Train(train.Inputs, train.Labels, null, test.Inputs, test.Labels);

        Assert.InRange(before, 0.0, 0.6);
        Assert.True(epochs[^1].TestAccuracy >= 0.95, $"test accuracy {epochs[^1].TestAccuracy}");
        Assert.True(epochs[^1].Loss < epochs[0].Loss);
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        float[] first = TrainedWeights(seed: 5);
        float[] second = TrainedWeights(seed: 5);
        float[] other = TrainedWeights(seed: 6);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Two_single_epoch_calls_equal_one_two_epoch_call()
    {
        var (inputs, labels) = GaussianBlobs.Generate(200, 8, 3, 1.0, seed: 1);
        Mlp once = Mlp.Create([8, 6, 3], bias: false, new Random(2));
        Mlp twice = once.Clone();

        new MlpTrainer(once, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3 }).Train(inputs, labels);
        var trainer = new MlpTrainer(twice, new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3 });
        trainer.Train(inputs, labels);
        trainer.Train(inputs, labels);

        Assert.Equal(once.Layers[0].Weights, twice.Layers[0].Weights);
        Assert.Equal(2, trainer.CompletedEpochs);
    }

    [Fact]
    public void Progress_is_reported_per_batch_and_per_epoch_with_a_test_set()
    {
        // 100 samples in batches of 64 make one full and one partial batch per epoch.
        var (inputs, labels) = GaussianBlobs.Generate(100, 4, 2, 1.0, seed: 1);
        var reports = new List<TrainingProgress>();
        var trainer = new MlpTrainer(Mlp.Create([4, 3, 2], true, new Random(1)), new TrainingOptions { Epochs = 2 });

        trainer.Train(inputs, labels, new Recorder(reports), inputs, labels);

        Assert.Equal(6, reports.Count);
        Assert.Equal([(1, 1), (1, 2), (1, 2), (2, 1), (2, 2), (2, 2)], reports.Select(r => (r.Epoch, r.Batch)));
        Assert.All(reports, r => Assert.Equal(2, r.Batches));
        Assert.Equal(2, reports.Count(r => r.TestAccuracy is not null));
    }

    [Fact]
    public void Learning_rate_decays_once_per_epoch()
    {
        var (inputs, labels) = GaussianBlobs.Generate(50, 4, 2, 1.0, seed: 1);
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.01, LearningRateDecay = 0.5 };
        var trainer = new MlpTrainer(Mlp.Create([4, 2], false, new Random(1)), options);

        IReadOnlyList<EpochSummary> epochs = trainer.Train(inputs, labels);

        Assert.Equal([0.01, 0.005, 0.0025], epochs.Select(e => e.LearningRate));
        Assert.Equal(0.00125, trainer.CurrentLearningRate);
    }

    [Fact]
    public void Mnist_reference_keeps_the_reference_optimiser_and_adds_the_decay()
    {
        TrainingOptions options = TrainingOptions.MnistReference with { Seed = 3 };

        Assert.Equal((15, 64, 1e-3, 0.8, 3), (options.Epochs, options.BatchSize, options.LearningRate, options.LearningRateDecay, options.Seed));
        Assert.Equal((0.9, 0.999, 1e-8), (options.Beta1, options.Beta2, options.Epsilon));
    }

    [Fact]
    public void Invalid_options_are_rejected_by_name()
    {
        Mlp model = Mlp.Create([4, 2], false, new Random(1));

        var ex = Assert.Throws<ArgumentException>(() => new MlpTrainer(model, new TrainingOptions { BatchSize = 0 }));

        Assert.Equal("BatchSize", ex.ParamName);
    }

    [Fact]
    public void Inputs_that_do_not_match_the_labels_are_rejected()
    {
        var trainer = new MlpTrainer(Mlp.Create([4, 2], false, new Random(1)), new TrainingOptions());

        Assert.Throws<ArgumentException>(() => trainer.Train(new float[7], new byte[2]));
    }

    private static float[] TrainedWeights(int seed)
    {
        // Big enough (64 x 300 x 100) for the parallel kernels, whose results must not depend on scheduling.
        var (inputs, labels) = GaussianBlobs.Generate(256, 300, 4, 0.3, seed: 9);
        Mlp model = Mlp.Create([300, 100, 4], bias: true, new Random(4));
        new MlpTrainer(model, new TrainingOptions { Epochs = 2, Seed = seed }).Train(inputs, labels);
        return model.Layers.SelectMany(layer => layer.Weights.Concat(layer.Bias!)).ToArray();
    }

    private sealed class Recorder(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
