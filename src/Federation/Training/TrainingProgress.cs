namespace QSI.Federation.Training;

/// <summary>A progress report of <see cref="MlpTrainer"/>, sent after every mini-batch.</summary>
/// <param name="Epoch">Current epoch of this training call, 1-based.</param>
/// <param name="Epochs">Epochs in this training call.</param>
/// <param name="Batch">Mini-batches finished in the current epoch, 1-based.</param>
/// <param name="Batches">Mini-batches per epoch.</param>
/// <param name="Loss">Sample-weighted mean loss of the batches finished so far in this epoch.</param>
/// <param name="LearningRate">Learning rate used in the current epoch.</param>
/// <param name="TestAccuracy">
/// Accuracy on the test set, present only in the extra report sent once an epoch is finished
/// and a test set was supplied.
/// </param>
public readonly record struct TrainingProgress(
    int Epoch, int Epochs, int Batch, int Batches, double Loss, double LearningRate, double? TestAccuracy);
