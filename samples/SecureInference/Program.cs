// Trains a tiny network on generated 8x8 images of four kinds of bar, then classifies held-out
// images through the optical protocol and prints the accuracy, the verifier's verdict and the leakage bound.
using QSI.Federation.Data;
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Training;
using QSI.Protocol.Leakage;

static LabeledImages Bars(int count, Random random)
{
    var pixels = new byte[count * 64];
    var labels = new byte[count];
    for (var i = 0; i < count; i++)
    {
        labels[i] = (byte)(i % 4);
        var at = random.Next(1, 7);
        for (var k = 0; k < 64; k++)
        {
            int r = k / 8, c = k % 8;
            var on = labels[i] switch { 0 => r == at, 1 => c == at, 2 => r == c, _ => r + c == 7 };
            pixels[i * 64 + k] = (byte)(on ? 255 : random.Next(0, 40));
        }
    }
    return new LabeledImages(8, 8, pixels, labels);
}

var random = new Random(1);
var (train, test) = (Bars(400, random), Bars(200, random));
var model = Mlp.Create([64, 32, 4], bias: false, random);
new MlpTrainer(model, new TrainingOptions { Epochs = 10, LearningRate = 0.01, Seed = 1 }).Train(train.NormalizedInputs(), train.Labels.ToArray());
var report = SecureInference.Run(model, test, new SecureInferenceOptions { Photons = 4, Gain = 2, Seed = 1 });
Console.WriteLine($"digital accuracy {model.Evaluate(test.NormalizedInputs(), test.Labels.ToArray()):P1}, secure accuracy {report.Accuracy:P1}");
Console.WriteLine($"verifier accepted {report.AcceptRate:P1} of {report.Checks} checks; excess noise {report.Pooled.ExcessNoise:F3} SNU");
Console.WriteLine($"leakage bound {LeakageBounds.WeightBitsPerMode(2, 4, LeakageBounds.ModesFor(64)) / 2:F4} bit per weight, {LeakageBounds.DataBits(2, LeakageBounds.ModesFor(64)):F4} bit per data element");
