namespace QSI.Node.Reports;

/// <summary>The result of <c>qsi curve</c>: secure accuracy against photon number, and the files written.</summary>
/// <param name="Points">One point per photon number, in the order given.</param>
/// <param name="Csv">Full path of curve.csv.</param>
/// <param name="Png">Full path of curve.png.</param>
/// <param name="DigitalAccuracy">Accuracy of the model in the clear on the same images.</param>
/// <param name="Gain">Amplifier gain G.</param>
/// <param name="Images">Test images per point.</param>
/// <param name="Seed">Seed of every point's noise.</param>
internal sealed record CurveReport(
    IReadOnlyList<CurvePoint> Points, string Csv, string Png, double DigitalAccuracy, double Gain, int Images, int Seed);

/// <summary>One photon number of the curve; the fields are also the columns of curve.csv.</summary>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="SignalFactor">F = 2 mu kappa(G).</param>
/// <param name="SecureAccuracy">Accuracy through the protocol.</param>
/// <param name="PaperAccuracy">The published accuracy at this F, or null when the paper has no point there.</param>
/// <param name="AcceptRate">Fraction of per-image checks that accepted the client.</param>
/// <param name="WeightBitsPerWeight">Weight leakage of one use of the first layer, bits per weight.</param>
/// <param name="DataBits">Data leakage of one use of the first layer, bits per element.</param>
internal sealed record CurvePoint(
    double Photons,
    double SignalFactor,
    double SecureAccuracy,
    double? PaperAccuracy,
    double AcceptRate,
    double WeightBitsPerWeight,
    double DataBits);
