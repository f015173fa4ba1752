using QSI.Federation.Models;

namespace QSI.Federation.Adversaries;

/// <summary>
/// What a curious client makes of one layer from its own measurements, and what it can say of
/// that without knowing W; beside it, what the weight account promises for the same light.
/// </summary>
/// <param name="Layer">The layer, from 0.</param>
/// <param name="Weights">The posterior mean of W_l and b_l.</param>
/// <param name="ExpectedSquaredError">The trace of the posterior covariance: the expected |W^ - W|^2 over weights and bias.</param>
/// <param name="PriorMeanSquare">The prior's variance per weight, the mean square &lt;W^2&gt; = mu/(2 s^2) the frames announced.</param>
/// <param name="InformationBitsPerWeight">
/// The mutual information between the weights and the measurements under that Gaussian prior, per
/// weight: 1/2 log2 det(tau^2 x posterior precision) / (m n). No estimator can turn the same
/// measurements into more (PROTOCOL.md section 4: it is itself bounded by the Holevo quantity).
/// </param>
/// <param name="ForwardCopies">Copies of forward frames behind the estimate.</param>
/// <param name="TransposedCopies">Copies of transposed frames behind the estimate.</param>
/// <param name="AccountBitsPerWeight">What the weight account charges for that light: each frame's copies as one coherent state, frames added.</param>
/// <param name="BoundBitsPerWeight">The tightest valid Holevo bound on that light: all copies of the same W in a round as one coherent state.</param>
public sealed record LayerEstimate(
    int Layer, DenseLayer Weights, double ExpectedSquaredError, double PriorMeanSquare, double InformationBitsPerWeight,
    long ForwardCopies, long TransposedCopies, double AccountBitsPerWeight, double BoundBitsPerWeight)
{
    /// <summary>
    /// The relative error the attacker expects, sqrt(E|W^ - W|^2 / (m n &lt;W^2&gt;)): the frames
    /// announce &lt;W^2&gt;, so it knows |W|^2 = m n &lt;W^2&gt; without knowing W.
    /// </summary>
    public double ExpectedRelativeError => Math.Sqrt(ExpectedSquaredError / (Weights.ParameterCount * PriorMeanSquare));

    /// <summary>The Gaussian-channel bits per weight the expected relative error implies, -log2 of it.</summary>
    public double ExpectedBitsPerWeight => LayerExtraction.BitsOf(ExpectedRelativeError);
}
