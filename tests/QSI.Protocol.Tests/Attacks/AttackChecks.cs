using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Tests.Attacks;

/// <summary>
/// Checks of a device's light at the small sizes of the attack tests: 60 rows of 40 weights of
/// +-0.1 (n' = 20, every mode at mu = 4 photons), one fixed input, G = 2 announced.
/// </summary>
internal static class AttackChecks
{
    public const int Rows = 60, Columns = 40, Modes = Columns / 2;
    public const double Photons = 4, Gain = 2;

    public static CheckSize PerFrame => CheckSize.ForLayer(Rows, Columns, Photons);

    /// <summary>
    /// <paramref name="checks"/> checks, each of the pooled light of <paramref name="framesPerCheck"/>
    /// uses of one frame (measured as one batch), behind a channel of <paramref name="transmission"/>.
    /// </summary>
    public static List<VerifierVerdict> Run(IClientDevice device, double transmission, int checks, int framesPerCheck, int seed,
        double falseAlarm = 0.01)
    {
        var verifier = new ResidualVerifier(new VerifierOptions { Gain = Gain, Transmission = transmission, FalseAlarmRate = falseAlarm });
        var weights = ProtocolFixture.SignWeights(Rows, Columns, seed: 9);
        var input = ProtocolFixture.Input(Columns, seed: 10);
        var inputs = Enumerable.Repeat(input, framesPerCheck).SelectMany(z => z).ToArray();
        var outputs = new float[framesPerCheck * Rows];
        var noise = NoiseSource.Seeded(seed);
        var verdicts = new List<VerifierVerdict>(checks);
        for (var c = 0; c < checks; c++)
        {
            var layer = ProtocolFixture.Encode(weights, Rows, Columns, Photons, framesPerCheck);
            layer.Light.PassThroughChannel(transmission);
            var light = device.MeasureBatch(layer.Light, inputs, framesPerCheck, outputs, noise);
            verdicts.Add(verifier.Check(light?.MeasureHeterodyne(layer.Reference, noise) ?? ResidualStatistics.None));
        }
        return verdicts;
    }
}
