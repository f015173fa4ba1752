namespace QSI.Federation.Data;

/// <summary>The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28.</summary>
/// <param name="Train">The training set.</param>
/// <param name="Test">The test set.</param>
public sealed record MnistDataset(LabeledImages Train, LabeledImages Test);
