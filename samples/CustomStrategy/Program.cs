// A strategy of one's own (CappedMean.cs) against FedAvg, in a secure federation of five clients
// of which one sends its update boosted 20 times (the library's scale:20 adversary).
using QSI.Federation.Adversaries;
using QSI.Federation.Strategies;

var boosted = new ScalingClient(20);
Console.WriteLine($"{"strategy",-12} {"all honest",10} {"one scale:20",13}");
foreach (IStrategy strategy in new IStrategy[] { new FedAvg(), new CappedMean() })
{
    Console.WriteLine($"{strategy.Name,-12} {Federations.Train(strategy, null),10:P1} {Federations.Train(strategy, boosted),13:P1}");
}
