using QSI.Federation.Training;

namespace QSI.Node.Reports;

/// <summary>The result of <c>qsi train</c>.</summary>
/// <param name="TestAccuracy">Test-set accuracy after the last epoch.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Seconds">Wall time of training and the per-epoch evaluations.</param>
/// <param name="TrainLoss">Mean training loss of the last epoch.</param>
/// <param name="Out">Full path of the saved model.</param>
/// <param name="Sizes">Layer sizes, input first, e.g. [784, 784, 10].</param>
/// <param name="Bias">Whether the layers have biases.</param>
/// <param name="Seed">Seed of the initial weights and the shuffling.</param>
/// <param name="History">One entry per epoch.</param>
internal sealed record TrainReport(
    double TestAccuracy,
    int Epochs,
    double Seconds,
    double TrainLoss,
    string Out,
    int[] Sizes,
    bool Bias,
    int Seed,
    IReadOnlyList<EpochReport> History);

/// <summary>One epoch of <c>qsi train</c>.</summary>
/// <param name="Epoch">Epoch number, from 1.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TestAccuracy">Test-set accuracy after the epoch.</param>
/// <param name="LearningRate">Learning rate used in the epoch.</param>
/// <param name="Seconds">Wall time of the epoch's training.</param>
internal sealed record EpochReport(int Epoch, double TrainLoss, double TestAccuracy, double LearningRate, double Seconds)
{
    /// <summary>Converts the trainer's summary of an epoch that ended with a test-set evaluation.</summary>
    public static EpochReport From(EpochSummary summary) =>
        new(
            summary.Epoch,
            summary.Loss,
            summary.TestAccuracy ?? throw new ArgumentException("the epoch was not evaluated on a test set", nameof(summary)),
            summary.LearningRate,
            summary.Duration.TotalSeconds);
}
