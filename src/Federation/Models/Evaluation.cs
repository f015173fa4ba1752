namespace QSI.Federation.Models;

/// <summary>Accuracy and loss of a model on a set of labelled samples.</summary>
/// <param name="Samples">Samples evaluated.</param>
/// <param name="Correct">Samples classified correctly.</param>
/// <param name="Loss">Mean cross-entropy.</param>
public sealed record Evaluation(int Samples, int Correct, double Loss)
{
    /// <summary>Fraction classified correctly.</summary>
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
}
