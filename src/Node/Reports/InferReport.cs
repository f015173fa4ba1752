using QSI.Actors.Roles;
using QSI.Federation.Inference;
using QSI.Protocol.Client;

namespace QSI.Node.Reports;

/// <summary>The result of <c>qsi infer</c>: the same images classified digitally and through the protocol.</summary>
/// <param name="DigitalAccuracy">Accuracy of the model evaluated in the clear.</param>
/// <param name="SecureAccuracy">Accuracy through the protocol.</param>
/// <param name="Verifier">What the verifier saw.</param>
/// <param name="Leakage">Leakage bounds of one use of the first layer at this run's settings.</param>
/// <param name="ImagesPerSecond">Throughput of secure inference.</param>
/// <param name="DigitalImagesPerSecond">Throughput of digital inference, parallelised and batched the same way.</param>
/// <param name="Batch">Queries measured together through one product and checked together (1: one at a time).</param>
/// <param name="Images">Test images classified.</param>
/// <param name="Photons">Mean photon number mu per mode.</param>
/// <param name="Gain">Amplifier gain G.</param>
/// <param name="SignalFactor">F = 2 mu kappa(G).</param>
/// <param name="Transmission">Channel transmission T.</param>
/// <param name="Seed">Seed of the run's noise.</param>
/// <param name="Model">Full path of the model file.</param>
internal sealed record InferReport(
    double DigitalAccuracy,
    double SecureAccuracy,
    VerifierSummary Verifier,
    ModelLeakage Leakage,
    double ImagesPerSecond,
    double DigitalImagesPerSecond,
    int Batch,
    int Images,
    double Photons,
    double Gain,
    double SignalFactor,
    double Transmission,
    int Seed,
    string Model);

/// <summary>The verifier's view of a secure run.</summary>
/// <param name="AcceptRate">Fraction of per-image checks that accepted the client.</param>
/// <param name="ExcessNoise">Pooled estimate eps-hat of the excess noise per row use, SNU.</param>
/// <param name="ExpectedExcessNoise">The honest device's eps0 = (2G - 2)/G, SNU; behind a real channel what the verifier expects of honest light.</param>
/// <param name="Transmission">Pooled estimate T-hat of the transmission.</param>
/// <param name="Checks">Checks made, one per image (one per batch of images with --batch).</param>
/// <param name="Accepted">Checks that accepted.</param>
/// <param name="PooledAccepted">Whether the check on all returned light pooled accepts.</param>
/// <param name="FalseAlarmRate">Probability of flagging an honest client in one check; null where only the verifier knows it.</param>
internal sealed record VerifierSummary(
    double AcceptRate,
    double ExcessNoise,
    double ExpectedExcessNoise,
    double Transmission,
    long Checks,
    long Accepted,
    bool PooledAccepted,
    double? FalseAlarmRate)
{
    /// <summary>Summarises the verifier's part of <paramref name="report"/>.</summary>
    public static VerifierSummary From(SecureInferenceReport report, SecureInferenceOptions options) =>
        new(
            report.AcceptRate,
            report.Pooled.ExcessNoise,
            ExpectedExcess(report, options),
            report.Pooled.Transmission,
            report.Checks,
            report.Accepted,
            report.Pooled.Accepted,
            options.FalseAlarmRate);

    // eps0 on an ideal channel; behind a real one, T_ret eps0 + n' T_ret xi' at the pooled light's mean n' (docs/CONVENTIONS.md, "A real channel").
    private static double ExpectedExcess(SecureInferenceReport report, SecureInferenceOptions options)
    {
        if (options.Channel.IsIdeal || report.Residuals.Uses == 0) return new DeviceNoise(options.Gain).ExcessNoise;
        var expecting = options.Channel.Expecting(new() { Gain = options.Gain }, options.Transmission, options.Photons);
        return expecting.ExpectedExcessNoise(report.Residuals.Dimensions / (2.0 * report.Residuals.Uses));
    }

    /// <summary>What a client in the cluster learnt from the verifier of its own queries, at gain <paramref name="gain"/>.</summary>
    public static VerifierSummary From(ClientReport report, double gain) =>
        new(
            report.AcceptRate,
            report.ExcessNoise,
            new DeviceNoise(gain).ExcessNoise,
            report.Transmission,
            report.Checks,
            report.Accepted,
            report.PooledAccepted,
            FalseAlarmRate: null);
}
