namespace QSI.Federation.Data;

/// <summary>
/// A training and a test set with the number of classes their labels range over: MNIST's 60,000
/// training and 10,000 test images of 28x28 in 10 classes, or a CSV table's rows (<see cref="CsvDataset"/>).
/// </summary>
/// <param name="Train">The training set.</param>
/// <param name="Test">The test set.</param>
/// <param name="Classes">Labels are 0 to <c>Classes - 1</c>; the model's output width.</param>
public sealed record MnistDataset(LabeledImages Train, LabeledImages Test, int Classes = MnistFiles.Classes);
