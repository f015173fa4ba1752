namespace QSI.Federation.Inference;

/// <summary>
/// The accuracy anchor of the reference experiment (PROTOCOL.md section 4): MNIST test accuracy
/// of the 784-784-10 network under y = sqrt(F) (w.x)/sqrt(&lt;W^2&gt;) + N(0, 1) on both layers.
/// </summary>
public static class PaperReference
{
    /// <summary>Digital test accuracy of the reference network.</summary>
    public const double DigitalAccuracy = 0.9811;

    /// <summary>(F, accuracy) points of the published curve; at G = 2, F equals mu.</summary>
    public static IReadOnlyList<(double SignalFactor, double Accuracy)> Curve { get; } =
    [
        (0.1, 0.292), (0.3, 0.613), (1, 0.909), (2, 0.953), (2.32, 0.960), (3.6, 0.970), (10, 0.978), (100, 0.980),
    ];

    /// <summary>The published accuracy at signal factor F, if F is one of its points.</summary>
    public static double? AccuracyAt(double signalFactor) =>
        Curve.Where(p => Math.Abs(p.SignalFactor - signalFactor) < 1e-9).Select(p => (double?)p.Accuracy).FirstOrDefault();
}
