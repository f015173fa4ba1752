namespace QSI.Node.Reports;

/// <summary>
/// The result of <c>qsi attack</c>: how the verifier fares against one strategy, and what the
/// strategy learned (docs/CLI.md, "Attacks"). Every field's definition is in docs/CLI.md.
/// </summary>
/// <param name="Strategy">The strategy's canonical spec.</param>
/// <param name="Frames">Queries of each series (honest, dishonest); a query uses every layer's frame once and is one check.</param>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="Gain">The announced amplifier gain G.</param>
/// <param name="Transmission">Channel transmission T, as calibrated.</param>
/// <param name="FalseAlarm">The verifier's false-alarm rate per check.</param>
/// <param name="DetectionRate">Fraction of the dishonest single-query checks flagged.</param>
/// <param name="FalseAlarmRate">Fraction of the honest single-query checks flagged.</param>
/// <param name="FalseAlarmStandardError">Binomial sd of that fraction at the set rate, sqrt(a(1 - a)/frames).</param>
/// <param name="FramesToDetection">Fewest pooled queries K whose disjoint pooled checks are flagged at least 99 % of the time, among K with at least 100 such checks; null when none.</param>
/// <param name="PredictedFramesToDetection">DetectionPower's K for 99 %; null for honest-looking strategies.</param>
/// <param name="LargestMeasurablePooling">The largest K with at least 100 disjoint pooled checks, frames / 100.</param>
/// <param name="PooledTransmission">The verifier's T-hat of all the dishonest light pooled; null when none came back.</param>
/// <param name="PooledExcessNoise">The verifier's eps-hat of all the dishonest light pooled, SNU per row use; null when none came back.</param>
/// <param name="WeightBitsGained">-log2 of the first layer's relative error; null when the strategy estimates no weights.</param>
/// <param name="WeightBitsBound">The Holevo bound per weight on what the strategy measured of the first layer; null for the curious server.</param>
/// <param name="RelativeError">|W^ - W| / |W| of the first layer; null when the strategy estimates no weights.</param>
/// <param name="RelativeErrorByLayer">The same for every layer, for the extractor's estimates (extract, overgain); null otherwise.</param>
/// <param name="DataMse">Curious server: mean squared error of its per-mode estimates of |x_j|^2; null otherwise.</param>
/// <param name="DataMseStandardError">Curious server: the standard error of that mean, from its spread over queries.</param>
/// <param name="DataCramerRao">Curious server: the mean Cramér-Rao bound of the same estimates.</param>
/// <param name="DataMseRatio">Curious server: dataMse / dataCramerRao.</param>
/// <param name="DataDirectionOverlap">Curious server: mean |x^dagger v| of its direction estimate v.</param>
/// <param name="DataRandomOverlap">Curious server: mean |x^dagger u| of a random direction u.</param>
/// <param name="Modes">n' of the first layer, the modes the predictions use.</param>
/// <param name="ModesByLayer">n' of every layer (a bias counts as one more column).</param>
/// <param name="Sizes">The network's layer sizes.</param>
/// <param name="Seed">Seed of every random draw.</param>
/// <param name="Model">Full path of the model file; null for a fresh network.</param>
/// <param name="Out">The directory the files went to.</param>
/// <param name="RocCsv">Full path of roc.csv.</param>
/// <param name="RocPng">Full path of roc.png.</param>
/// <param name="ExtractionCsv">Full path of extraction.csv (extract only; null otherwise).</param>
/// <param name="ExtractionPng">Full path of extraction.png (extract only; null otherwise).</param>
/// <param name="Seconds">Wall-clock time of the measurement.</param>
internal sealed record AttackReport(
    string Strategy,
    int Frames,
    double Photons,
    double Gain,
    double Transmission,
    double FalseAlarm,
    double DetectionRate,
    double FalseAlarmRate,
    double FalseAlarmStandardError,
    int? FramesToDetection,
    long? PredictedFramesToDetection,
    int LargestMeasurablePooling,
    double? PooledTransmission,
    double? PooledExcessNoise,
    double? WeightBitsGained,
    double? WeightBitsBound,
    double? RelativeError,
    IReadOnlyList<double>? RelativeErrorByLayer,
    double? DataMse,
    double? DataMseStandardError,
    double? DataCramerRao,
    double? DataMseRatio,
    double? DataDirectionOverlap,
    double? DataRandomOverlap,
    int Modes,
    IReadOnlyList<int> ModesByLayer,
    IReadOnlyList<int> Sizes,
    int Seed,
    string? Model,
    string Out,
    string RocCsv,
    string RocPng,
    string? ExtractionCsv,
    string? ExtractionPng,
    double Seconds);
