using System.Diagnostics;
using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>
/// Mini-batch training of an <see cref="Mlp"/> with Adam and softmax cross-entropy. The trainer keeps
/// Adam's moments and its shuffling generator between <see cref="Train"/> calls, so two calls of
/// one epoch each behave like one call of two epochs.
/// </summary>
public sealed class MlpTrainer
{
    private readonly Backpropagation _backpropagation;
    private readonly Adam _adam;
    private readonly Random _shuffle;
    private readonly float[] _batchInputs;
    private readonly byte[] _batchLabels;

    /// <summary>Creates a trainer that updates <paramref name="model"/> in place.</summary>
    public MlpTrainer(Mlp model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
        _backpropagation = new Backpropagation(model, options.BatchSize);
        _adam = new Adam(model.Parameters, options.Beta1, options.Beta2, options.Epsilon);
        _shuffle = new Random(options.Seed);
        _batchInputs = new float[options.BatchSize * model.InputSize];
        _batchLabels = new byte[options.BatchSize];
    }

    /// <summary>The network being trained.</summary>
    public Mlp Model { get; }

    /// <summary>The hyper-parameters.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Epochs finished over the trainer's lifetime; drives the learning-rate decay.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Learning rate the next epoch will use.</summary>
    public double CurrentLearningRate => Options.LearningRate * Math.Pow(Options.LearningRateDecay, CompletedEpochs);

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs, each visiting every sample once in a
    /// freshly shuffled order.
    /// </summary>
    /// <param name="inputs">Row-major count x input-size features.</param>
    /// <param name="labels">Class index of each sample.</param>
    /// <param name="progress">Receives a report after every batch and, with a test set, after every epoch.</param>
    /// <param name="testInputs">Optional test features, evaluated after every epoch.</param>
    /// <param name="testLabels">Labels of <paramref name="testInputs"/>.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>One summary per epoch.</returns>
    public IReadOnlyList<EpochSummary> Train(
        float[] inputs,
        byte[] labels,
        IProgress<TrainingProgress>? progress = null,
        float[]? testInputs = null,
        byte[]? testLabels = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        int features = Model.InputSize;
        if (labels.Length == 0 || (long)labels.Length * features != inputs.Length)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * features} input values, got {inputs.Length}.", nameof(inputs));
        }

        if ((testInputs is null) != (testLabels is null))
        {
            throw new ArgumentException("Supply both test inputs and test labels, or neither.", nameof(testLabels));
        }

        int[] order = new int[labels.Length];
        var summaries = new List<EpochSummary>(Options.Epochs);
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double learningRate = CurrentLearningRate;
            Shuffle(order);
            double loss = RunEpoch(inputs, labels, order, learningRate, epoch, progress, cancellationToken);
            TimeSpan duration = clock.Elapsed;
            CompletedEpochs++;

            double? accuracy = testInputs is null ? null : Model.Evaluate(testInputs, testLabels!);
            if (accuracy is not null)
            {
                int batches = BatchCount(labels.Length);
                progress?.Report(new TrainingProgress(epoch, Options.Epochs, batches, batches, loss, learningRate, accuracy));
            }

            summaries.Add(new EpochSummary(epoch, loss, learningRate, accuracy, duration));
        }

        return summaries;
    }

    private double RunEpoch(
        float[] inputs, byte[] labels, int[] order, double learningRate, int epoch,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int features = Model.InputSize;
        int batches = BatchCount(labels.Length);
        double lossSum = 0.0;
        int seen = 0;
        for (int batch = 0; batch < batches; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = batch * Options.BatchSize;
            int count = Math.Min(Options.BatchSize, labels.Length - start);
            for (int b = 0; b < count; b++)
            {
                int sample = order[start + b];
                inputs.AsSpan(sample * features, features).CopyTo(_batchInputs.AsSpan(b * features));
                _batchLabels[b] = labels[sample];
            }

            double batchLoss = _backpropagation.Compute(_batchInputs, _batchLabels.AsSpan(0, count), count);
            _adam.Step(_backpropagation.Gradients, learningRate);

            lossSum += batchLoss * count;
            seen += count;
            progress?.Report(new TrainingProgress(epoch, Options.Epochs, batch + 1, batches, lossSum / seen, learningRate, null));
        }

        return lossSum / seen;
    }

    private int BatchCount(int samples) => (samples + Options.BatchSize - 1) / Options.BatchSize;

    // A fresh uniform permutation each epoch (not a re-shuffle of the last one), like PyTorch's
    // RandomSampler, drawn from the single seeded generator so runs repeat exactly.
    private void Shuffle(int[] order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        _shuffle.Shuffle(order);
    }
}
