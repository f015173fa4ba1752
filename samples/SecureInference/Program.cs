// Trains a tiny network on generated 8x8 images of four kinds of bar, then classifies held-out
// images through the optical protocol and prints the accuracy, the verifier's verdict and the leakage bound.
using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Training;
using QSI.Protocol.Leakage;

var random = new Random(1);
var (train, test) = (Bars.Create(400, random), Bars.Create(200, random));
var model = Mlp.Create([64, 32, 4], bias: false, random);
new MlpTrainer(model, new TrainingOptions { Epochs = 10, LearningRate = 0.01, Seed = 1 }).Train(train.NormalizedInputs(), train.Labels.ToArray());
var report = SecureInference.Run(model, test, new SecureInferenceOptions { Photons = 4, Gain = 2, Seed = 1 });
Console.WriteLine($"digital accuracy {model.Evaluate(test.NormalizedInputs(), test.Labels.ToArray()):P1}, secure accuracy {report.Accuracy:P1}");
Console.WriteLine($"verifier accepted {report.AcceptRate:P1} of {report.Checks} checks; excess noise {report.Pooled.ExcessNoise:F3} SNU");
Console.WriteLine($"leakage bound {LeakageBounds.WeightBitsPerMode(2, 4, LeakageBounds.ModesFor(64)) / 2:F4} bit per weight, {LeakageBounds.DataBits(2, LeakageBounds.ModesFor(64)):F4} bit per data element");
