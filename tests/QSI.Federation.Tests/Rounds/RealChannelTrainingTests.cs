using System.Security.Cryptography;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Rounds;
using QSI.Protocol.Optics;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Rounds;

public class RealChannelTrainingTests(ITestOutputHelper output)
{
    private static readonly ChannelImperfections Lossy = new()
    {
        ClientEfficiency = 0.8, ClientElectronicNoise = 0.05, ReturnTransmission = 0.8, ExcessNoise = 0.02,
    };

    private static FederationSettings Behind(ChannelImperfections testbed, int rounds = 4) =>
        FederatedTrainingTests.Settings(rounds) with { Channel = new ChannelSettings(4, 2) { Imperfections = testbed } };

    private static string Fingerprint(Mlp model) =>
        Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ModelParameters.Flatten(model).AsSpan())));

    [Fact]
    public void A_federation_behind_a_lossy_noisy_channel_trains_about_as_well_as_the_ideal_one_and_no_honest_client_is_flagged()
    {
        var ideal = TestFederations.Create(Behind(ChannelImperfections.Ideal), clients: 3).Run(4);
        var federation = TestFederations.Create(Behind(Lossy), clients: 3);

        var rounds = federation.Run(4);

        Assert.All(rounds, r => Assert.Empty(r.Flagged));
        Assert.All(rounds, r => Assert.Equal(["client-00", "client-01", "client-02"], r.Aggregated));
        // The verifier expects T = T_ret = 0.8 and the channel's noise; every honest eps-hat is within its threshold.
        Assert.All(rounds.SelectMany(r => r.Fit.Concat(r.Evaluate)), c => Assert.InRange(c.Transmission!.Value, 0.7, 0.9));
        Assert.All(rounds.SelectMany(r => r.Fit.Concat(r.Evaluate)), c => Assert.InRange(c.ExcessNoiseScore!.Value, -5, 5));
        output.WriteLine($"after 4 rounds: ideal accuracy {ideal[^1].TestAccuracy:F4} loss {ideal[^1].TestLoss:F4}, behind the channel accuracy {rounds[^1].TestAccuracy:F4} loss {rounds[^1].TestLoss:F4}");
        // The client's noisier estimates cost little: within 3 points of the ideal channel's accuracy, and a test loss
        // below 1.5 times the ideal one's (seed 11: accuracy 1.000 both, loss 0.0480 against 0.0493).
        Assert.True(rounds[^1].TestAccuracy > 0.9, $"test accuracy {rounds[^1].TestAccuracy} after 4 rounds");
        Assert.InRange(rounds[^1].TestAccuracy, ideal[^1].TestAccuracy - 0.03, 1);
        Assert.InRange(rounds[^1].TestLoss, 0, ideal[^1].TestLoss * 1.5);
        Assert.NotEqual(Fingerprint(TestFederations.Create(Behind(ChannelImperfections.Ideal), clients: 3).Training.Model), Fingerprint(federation.Training.Model));
    }

    [Fact]
    public void An_ideal_channel_trains_the_model_of_a_run_without_imperfections_bit_for_bit()
    {
        var withoutField = TestFederations.Create(FederatedTrainingTests.Settings(rounds: 2), clients: 3);
        var explicitIdeal = TestFederations.Create(Behind(new ChannelImperfections { ClientEfficiency = 1, ReturnTransmission = 1 }, rounds: 2), clients: 3);

        withoutField.Run(2);
        explicitIdeal.Run(2);

        Assert.Equal(Fingerprint(withoutField.Training.Model), Fingerprint(explicitIdeal.Training.Model));
        // The model of this run before the channel entered training: any change to the ideal path shows here.
        Assert.Equal(BaselineFingerprint, Fingerprint(explicitIdeal.Training.Model));
    }

    private const string BaselineFingerprint = "3032C586392E37F6975C02612BAB8D3E805A4E8A6D5D7AE900A723D7F34838F7";
}
