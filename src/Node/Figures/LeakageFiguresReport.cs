namespace QSI.Node.Figures;

/// <summary>What <c>qsi leakage --map</c> or <c>--panels</c> wrote.</summary>
/// <param name="Out">Full path of the directory written into.</param>
/// <param name="Files">Full paths of the CSV and PNG files written.</param>
/// <param name="Points">Settings evaluated: the grid's (gain, photons) pairs for --map, the rows of the three panels for --panels.</param>
/// <param name="WeightBitsPerWeightMin">Smallest I_w / 2 over the rows.</param>
/// <param name="WeightBitsPerWeightMax">Largest I_w / 2 over the rows.</param>
/// <param name="DataBitsMin">Smallest I_x over the rows.</param>
/// <param name="DataBitsMax">Largest I_x over the rows.</param>
/// <param name="ContourAccuracy">The accuracy level drawn on the map (the curve's best less 0.01), or null without --curve.</param>
/// <param name="ContourSignalFactor">The F at which the curve reaches that level, or null without --curve.</param>
internal sealed record LeakageFiguresReport(
    string Out,
    IReadOnlyList<string> Files,
    int Points,
    double WeightBitsPerWeightMin,
    double WeightBitsPerWeightMax,
    double DataBitsMin,
    double DataBitsMax,
    double? ContourAccuracy,
    double? ContourSignalFactor);
