namespace QSI.Node.Tests;

/// <summary><c>qsi infer</c> with the flags of a real channel, on a synthetic data set in the MNIST format.</summary>
public sealed class RealChannelInferTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public RealChannelInferTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 240, testImages: 80);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Infer_behind_a_real_channel_reports_the_verifier_s_expectation_and_a_larger_weight_bound()
    {
        var model = _temp.Combine("models", "tiny.qsim");
        var train = Qsi.Run("train", "--hidden", "32", "--epochs", "2", "--batch", "16", "--seed", "3", "--out", model, "--data", _data, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);

        var infer = Qsi.Run("infer", "--model", model, "--photons", "4", "--gain", "2", "--limit", "80", "--transmission", "0.9",
            "--client-efficiency", "0.8", "--client-electronic-noise", "0.1", "--verifier-efficiency", "0.9", "--verifier-electronic-noise", "0.05",
            "--return-transmission", "0.75", "--channel-excess-noise", "0.001", "--phase-noise", "0.05", "--data", _data, "--json");
        Assert.True(infer.ExitCode == 0, infer.Stderr);
        var verifier = infer.Json.GetProperty("verifier");
        // T at the verifier's input: 0.9 exp(-0.0025) 0.75 = 0.6733; sd of the pooled sqrt(T-hat) over 80 images is below 0.002.
        Assert.InRange(verifier.GetProperty("transmission").GetDouble(), 0.6733 * 0.98, 0.6733 * 1.02);
        // Expected eps: T_ret (eps0 + n' xi'), xi' = 0.001 + 2 x 0.9 x 4 (1 - exp(-0.0025)) = 0.018977, at the pooled
        // n' = D/(2R) of the two layers: (32 x 392 + 10 x 16)/(32 + 10) = 302.5 modes, so 0.75 (1 + 302.5 xi') = 5.0552.
        var xi = 0.001 + 2 * 0.9 * 4 * (1 - Math.Exp(-0.0025));
        Assert.Equal(0.75 * (1 + (32 * 392 + 10 * 16) / 42.0 * xi), verifier.GetProperty("expectedExcessNoise").GetDouble(), 9);
        Assert.True(verifier.GetProperty("pooledAccepted").GetBoolean(), "the verifier that expects the channel accepts the pooled light");
        // The ideal channel's bound at T = 0.9 is below what return loss and noise add.
        var ideal = Qsi.Run("infer", "--model", model, "--photons", "4", "--gain", "2", "--limit", "10", "--transmission", "0.9", "--data", _data, "--json");
        Assert.True(infer.Json.GetProperty("leakage").GetProperty("weightBitsPerWeight").GetDouble()
            > ideal.Json.GetProperty("leakage").GetProperty("weightBitsPerWeight").GetDouble());
    }
}
