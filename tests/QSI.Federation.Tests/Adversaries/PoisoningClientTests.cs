using QSI.Federation.Adversaries;
using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;
using QSI.Federation.Tests.Rounds;

namespace QSI.Federation.Tests.Adversaries;

public class PoisoningClientTests
{
    private static readonly ClientUpdate Trained = new("client-00", [1.5f, -2, 0, 0.25f], 40);

    [Fact]
    public void A_sign_flipping_client_sends_the_opposite_of_its_update_and_a_scaling_one_k_times_it()
    {
        Assert.Equal([-1.5f, 2, 0, -0.25f], Adversary.Parse("signflip", "client-01").Update(Trained, seed: 3).Delta);
        var scaled = Adversary.Parse("scale:-4", "client-01").Update(Trained, seed: 3);
        Assert.Equal([-6f, 8, 0, -1], scaled.Delta);
        Assert.Equal((Trained.ClientId, Trained.Samples), (scaled.ClientId, scaled.Samples));
        Assert.Equal([1.5f, -2, 0, 0.25f], Trained.Delta);
        Assert.Equal(ScalingClient.DefaultFactor, ((ScalingClient)Adversary.Parse("scale", "client-01")).Factor);
    }

    [Fact]
    public void A_noisy_client_adds_gaussian_noise_of_its_sigma_drawn_from_its_seed()
    {
        var trained = new ClientUpdate("client-00", Enumerable.Range(0, 20_000).Select(k => (float)Math.Sin(k)).ToArray(), 40);
        var noisy = Adversary.Parse("noise:0.5", "client-01");

        var sent = noisy.Update(trained, seed: 7);

        var noise = sent.Delta.Zip(trained.Delta, (s, t) => (double)s - t).ToArray();
        var mean = noise.Average();
        var sd = Math.Sqrt(noise.Sum(v => (v - mean) * (v - mean)) / (noise.Length - 1));
        // Over 20,000 draws the sample mean has sd 0.5 / sqrt(20000) = 0.0035 and the sample sd
        // 0.5 / sqrt(40000) = 0.0025: both within 4 of those.
        Assert.InRange(mean, -0.014, 0.014);
        Assert.InRange(sd, 0.49, 0.51);
        Assert.Equal(sent.Delta, noisy.Update(trained, seed: 7).Delta);
        Assert.NotEqual(sent.Delta, noisy.Update(trained, seed: 8).Delta);
        Assert.Equal(NoisyUpdateClient.DefaultSigma, ((NoisyUpdateClient)Adversary.Parse("noise", "client-01")).Sigma);
    }

    [Fact]
    public void A_label_flipping_client_trains_on_c_minus_one_minus_y_and_sends_its_update_unchanged()
    {
        var labelflip = Adversary.Parse("labelflip", "client-01");

        Assert.Equal([9, 8, 0, 4], labelflip.TrainingLabels([0, 1, 9, 5], classes: 10));
        Assert.Equal([3, 2, 1, 0], labelflip.TrainingLabels([0, 1, 2, 3], classes: 4));
        Assert.Same(Trained, labelflip.Update(Trained, seed: 1));
        Assert.Contains("label 4 of sample 1 is past the model's 4 classes", Assert.Throws<ArgumentException>(() => labelflip.TrainingLabels([0, 4], classes: 4)).Message);
    }

    [Theory]
    [InlineData("signflip:2", "signflip takes no parameter")]
    [InlineData("labelflip:1", "labelflip takes no parameter")]
    [InlineData("scale:inf", "a finite scale factor")]
    [InlineData("scale:ten", "a finite scale factor")]
    [InlineData("noise:0", "a standard deviation above 0")]
    [InlineData("noise:-1", "a standard deviation above 0")]
    public void A_poisoner_with_a_bad_parameter_is_refused(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Adversary.Parse(spec, "client-01")).Message);

    [Fact]
    public void Every_named_adversary_parses_and_names_itself()
    {
        foreach (var name in new[] { "signflip", "scale", "noise", "labelflip" })
        {
            Assert.Contains(name, Adversary.Names);
            Assert.Contains(name, Adversary.Forms);
            Assert.StartsWith(name, Adversary.Parse(name, "client-01").Spec);
        }
        Assert.Equal("scale:2.5", Adversary.Parse("scale:2.5", "client-01").Spec);
    }

    [Fact]
    public void Through_a_client_the_poisoners_corrupt_what_honest_training_produced_with_a_stream_per_round()
    {
        var images = TestFederations.Images(120, seed: 5);
        var shape = new ModelShape([64, 8, 4], Bias: false);
        var global = ModelParameters.Flatten(Mlp.Create(shape.Sizes, bias: false, new Random(2)));
        ClientUpdate Fit(ClientConduct conduct, LabeledImages train, int round = 1)
        {
            var client = new FederatedClient("client-03", shape, train, images.Take(0), new ClientOptions { Seed = 11, Conduct = conduct });
            var task = RoundTask.For(round, TaskKind.Fit, new LocalTrainingPlan { BatchSize = 16, LearningRate = 0.1 }, train.Count);
            return client.Run(task, new ClearTaskLight(global)).Update!;
        }
        var honest = Fit(ClientConduct.Honest, images);

        Assert.Equal(honest.Delta.Select(v => -v), Fit(new SignFlippingClient(), images).Delta);
        Assert.Equal(honest.Delta.Select(v => 3 * v), Fit(new ScalingClient(3), images).Delta);
        var noisy = Fit(new NoisyUpdateClient(0.1), images);
        Assert.Equal(noisy.Delta, Fit(new NoisyUpdateClient(0.1), images).Delta);
        Assert.NotEqual(noisy.Delta.Zip(honest.Delta, (n, h) => n - h), Fit(new NoisyUpdateClient(0.1), images, round: 2).Delta.Zip(Fit(ClientConduct.Honest, images, round: 2).Delta, (n, h) => n - h));
        // A label-flipping client is an honest client of the flipped data set.
        var flipped = new LabeledImages(images.Rows, images.Columns, images.Pixels, images.Labels.ToArray().Select(y => (byte)(3 - y)).ToArray());
        Assert.Equal(Fit(ClientConduct.Honest, flipped).Delta, Fit(new LabelFlippingClient(), images).Delta);
        Assert.NotEqual(honest.Delta, Fit(new LabelFlippingClient(), images).Delta);
    }
}
