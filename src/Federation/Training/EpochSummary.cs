namespace QSI.Federation.Training;

/// <summary>What one finished epoch achieved.</summary>
/// <param name="Epoch">Epoch of the training call, 1-based.</param>
/// <param name="Loss">Sample-weighted mean training loss over the epoch.</param>
/// <param name="LearningRate">Learning rate used during the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch, if one was supplied.</param>
/// <param name="Duration">Wall time of the epoch's training, excluding the test evaluation.</param>
public sealed record EpochSummary(int Epoch, double Loss, double LearningRate, double? TestAccuracy, TimeSpan Duration);
