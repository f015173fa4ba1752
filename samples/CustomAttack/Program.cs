// An adversarial client of one's own (TargetedPoisoning.cs): one of five clients of a secure
// federation pushes the model to answer class 0, against FedAvg and against the coordinate median.
using QSI.Federation.Strategies;

var attacker = new TargetedPoisoning(target: 0, boost: 10);
Console.WriteLine($"{"strategy",-10} {"all honest",10} {attacker.Spec,14}");
foreach (var name in new[] { "fedavg", "fedmedian" })
{
    Console.WriteLine($"{name,-10} {Federations.Train(Strategy.Create(name), null),10:P1} {Federations.Train(Strategy.Create(name), attacker),14:P1}");
}
