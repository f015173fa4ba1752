using QSI.Federation.Rounds;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>labelflip</c> adversary: a client whose training labels are flipped, y to C - 1 - y
/// for a model of C classes (9 - y on MNIST), and which then trains and reports exactly as an
/// honest client does: a poisoned data set, not a lie about the update. Its held-out labels are
/// left true, and so is its light: the verifier has nothing to flag.
/// </summary>
public sealed class LabelFlippingClient : ClientConduct
{
    /// <inheritdoc/>
    public override string Spec => "labelflip";

    /// <inheritdoc/>
    public override byte[] TrainingLabels(byte[] labels, int classes)
    {
        var flipped = new byte[labels.Length];
        for (var i = 0; i < labels.Length; i++)
            flipped[i] = labels[i] < classes
                ? (byte)(classes - 1 - labels[i])
                : throw new ArgumentException($"label {labels[i]} of sample {i} is past the model's {classes} classes", nameof(labels));
        return flipped;
    }
}
