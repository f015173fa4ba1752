using QSI.Federation.Inference;
using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Federation.Tests.Inference;

public class SecureInferenceTests
{
    private static readonly Lazy<QSI.Federation.Models.Mlp> Model = new(() => SmallClassifier.Train(bias: false));
    private static readonly QSI.Federation.Data.LabeledImages Test = SmallClassifier.Images(1000, seed: 9);

    [Fact]
    public void With_plenty_of_light_secure_inference_agrees_with_digital_inference()
    {
        var digital = DigitalInference.Run(Model.Value, Test);
        var secure = SecureInference.Run(Model.Value, Test, new SecureInferenceOptions { Photons = 1000, Gain = 2, Seed = 1 });
        Assert.True(digital.Accuracy > 0.9, $"the small classifier should learn its task (digital accuracy {digital.Accuracy})");
        Assert.InRange(secure.Accuracy, digital.Accuracy - 0.02, digital.Accuracy + 0.01);
    }

    [Fact]
    public void With_almost_no_light_secure_inference_falls_towards_chance()
    {
        var secure = SecureInference.Run(Model.Value, Test, new SecureInferenceOptions { Photons = 0.001, Gain = 2, Seed = 1 });
        Assert.InRange(secure.Accuracy, 0.15, 0.45);
    }

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(3.0, 0.8)]
    public void The_honest_verifier_accepts_at_one_minus_the_false_alarm_rate_and_estimates_the_channel(double gain, double transmission)
    {
        var options = new SecureInferenceOptions { Photons = 4, Gain = gain, Transmission = transmission, FalseAlarmRate = 0.05, Seed = 2 };
        var report = SecureInference.Run(Model.Value, SmallClassifier.Images(3000, seed: 4), options);
        var standardError = Math.Sqrt(0.05 * 0.95 / report.Checks);
        Assert.InRange(report.AcceptRate, 0.95 - 4 * standardError, 0.95 + 4 * standardError);
        Assert.InRange(report.Pooled.Transmission, transmission * 0.99, transmission * 1.01);
        Assert.InRange(report.Pooled.ExcessNoise, new DeviceNoise(gain).ExcessNoise - 0.1, new DeviceNoise(gain).ExcessNoise + 0.1);
        Assert.True(report.Pooled.Accepted);
    }

    [Fact]
    public void Behind_a_real_channel_the_verifier_that_expects_it_accepts_the_honest_client()
    {
        var channel = new ChannelImperfections
        {
            ClientEfficiency = 0.8, ClientElectronicNoise = 0.1, VerifierEfficiency = 0.9, VerifierElectronicNoise = 0.05,
            ReturnTransmission = 0.75, ExcessNoise = 0.01, PhaseNoise = 0.1,
        };
        var options = new SecureInferenceOptions { Photons = 4, Gain = 2, Transmission = 0.8, FalseAlarmRate = 0.05, Seed = 2, Channel = channel };
        var report = SecureInference.Run(Model.Value, SmallClassifier.Images(3000, seed: 4), options);
        var standardError = Math.Sqrt(0.05 * 0.95 / report.Checks);
        Assert.InRange(report.AcceptRate, 0.95 - 4 * standardError, 0.95 + 4 * standardError);
        // T at the verifier's input: 0.8 exp(-0.01) 0.75.
        var expected = 0.8 * Math.Exp(-0.01) * 0.75;
        Assert.InRange(report.Pooled.Transmission, expected * 0.99, expected * 1.01);
        Assert.True(report.Pooled.Accepted);
        // The client corrects its estimates for the loss and its detector: the classifier still works.
        var digital = DigitalInference.Run(Model.Value, SmallClassifier.Images(3000, seed: 4));
        Assert.True(report.Accuracy > digital.Accuracy - 0.1, $"accuracy {report.Accuracy} behind the testbed, {digital.Accuracy} digital");
    }

    [Fact]
    public void A_seed_gives_the_same_result_whatever_the_number_of_threads()
    {
        var one = SecureInference.Run(Model.Value, Test, new SecureInferenceOptions { Photons = 2, Seed = 7, Parallelism = 1, ImagesPerFrame = 100 });
        var two = SecureInference.Run(Model.Value, Test, new SecureInferenceOptions { Photons = 2, Seed = 7, Parallelism = 2, ImagesPerFrame = 100 });
        Assert.Equal(one.Correct, two.Correct);
        Assert.Equal(one.Residuals, two.Residuals);
    }

    [Fact]
    public void A_client_that_taps_half_the_light_is_flagged_on_every_query_and_keeps_estimates_of_the_weights()
    {
        // sd(sqrt T-hat) per query is 0.011 (S = 17408): a tap of 0.5 stands 27 sd out.
        var images = SmallClassifier.Images(300, seed: 4);
        var report = SecureInference.Run(Model.Value, images, new SecureInferenceOptions { Photons = 4, Seed = 5, Attack = new Tap(0.5) });
        Assert.Equal(0, report.Accepted);
        Assert.InRange(report.Pooled.Transmission, 0.49, 0.51);
        Assert.False(report.Pooled.Accepted);
        // One frame per layer and batch of 250 images: two batches, two layers.
        Assert.Equal(4, report.Knowledge!.Frames.Count);
        Assert.Null(SecureInference.Run(Model.Value, images, new SecureInferenceOptions { Photons = 4, Seed = 5 }).Knowledge);
    }

    [Fact]
    public void An_attacked_run_gives_the_same_result_whatever_the_number_of_threads()
    {
        var options = new SecureInferenceOptions { Photons = 2, Seed = 7, ImagesPerFrame = 100, Attack = new Tap(0.2) };
        var one = SecureInference.Run(Model.Value, Test, options with { Parallelism = 1 });
        var two = SecureInference.Run(Model.Value, Test, options with { Parallelism = 2 });
        Assert.Equal(one.Correct, two.Correct);
        Assert.Equal(one.Residuals, two.Residuals);
        static double[] Estimates(SecureInferenceReport r) =>
            r.Knowledge!.Frames.Select(f => r.Knowledge.Of(f)!).Select(e => e.PackedWeights[0] + e.Copies).Order().ToArray();
        Assert.Equal(Estimates(one), Estimates(two));
    }

    [Fact]
    public void A_client_that_withholds_its_light_classifies_as_the_honest_one_and_fails_every_check()
    {
        var images = SmallClassifier.Images(300, seed: 4);
        var honest = SecureInference.Run(Model.Value, images, new SecureInferenceOptions { Photons = 4, Seed = 6 });
        var withheld = SecureInference.Run(Model.Value, images, new SecureInferenceOptions { Photons = 4, Seed = 6, Attack = new Withhold() });
        Assert.Equal(honest.Correct, withheld.Correct);
        Assert.Equal(0, withheld.Accepted);
        Assert.Equal(0, withheld.Residuals.Uses);
        Assert.False(withheld.Pooled.Accepted);
    }

    [Fact]
    public void Biases_travel_as_one_more_encoded_column()
    {
        var model = SmallClassifier.Train(bias: true);
        var digital = DigitalInference.Run(model, Test);
        var secure = SecureInference.Run(model, Test, new SecureInferenceOptions { Photons = 1000, Seed = 3 });
        Assert.True(new OpticalNetwork(model).HasBias);
        Assert.InRange(secure.Accuracy, digital.Accuracy - 0.02, digital.Accuracy + 0.01);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Queries_sent_in_batches_classify_as_one_at_a_time_and_are_checked_once_per_batch(bool bias)
    {
        var model = bias ? SmallClassifier.Train(bias: true) : Model.Value;
        var options = new SecureInferenceOptions { Photons = 4, Gain = 2, FalseAlarmRate = 0.05, Seed = 4, ImagesPerFrame = 250 };
        var single = SecureInference.Run(model, Test, options);
        var batched = SecureInference.Run(model, Test, options with { Batch = 32 });
        var digital = DigitalInference.Run(model, Test);

        // 1000 images, 250 per frame, batches of 32: 8 checks per frame (7 of 32 and one of 26).
        Assert.Equal(32, batched.Checks);
        Assert.Equal(1000, single.Checks);
        // Different noise, the same law: accuracies within 3 binomial standard errors of their difference.
        var se = Math.Sqrt(2 * single.Accuracy * (1 - single.Accuracy) / Test.Count);
        Assert.InRange(batched.Accuracy, single.Accuracy - 3 * se - 0.005, single.Accuracy + 3 * se + 0.005);
        // The pooled scores are standard normal for honest light (300 seeds: means -0.04 and 0.02, sd 1.0 and 1.05).
        Assert.InRange(batched.Pooled.ExcessNoiseScore, -4, 4);
        Assert.InRange(batched.Pooled.TransmissionScore, -4, 4);
        Assert.InRange(batched.Pooled.Transmission, 0.99, 1.01);
        Assert.Equal(digital.Correct, DigitalInference.Run(model, Test, batch: 32).Correct);
    }

    [Fact]
    public void A_batch_with_a_tapped_frame_is_flagged()
    {
        var report = SecureInference.Run(Model.Value, SmallClassifier.Images(300, seed: 4),
            new SecureInferenceOptions { Photons = 4, Seed = 5, Attack = new Tap(0.5), Batch = 50 });
        Assert.Equal(6, report.Checks);
        Assert.Equal(0, report.Accepted);
        Assert.False(report.Pooled.Accepted);
    }
}
