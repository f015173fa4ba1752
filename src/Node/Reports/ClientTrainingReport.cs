namespace QSI.Node.Reports;

/// <summary>The result of <c>qsi client --train</c>: what the client contributed and what it allowed to leak.</summary>
/// <param name="ClientId">The client's name in the federation.</param>
/// <param name="Shard">Which part of the partitioned training set it holds, K/N.</param>
/// <param name="Partition">How the training set was partitioned.</param>
/// <param name="TrainSamples">Samples it trained on.</param>
/// <param name="EvaluationSamples">Samples it held out for federated evaluation.</param>
/// <param name="Tasks">Tasks (fits and evaluations) it completed.</param>
/// <param name="DataBits">Data leakage it allowed, bits per element of its most exposed vector.</param>
/// <param name="Gain">Its amplifier gain G.</param>
/// <param name="Seed">The run's seed it split the data with.</param>
/// <param name="Seconds">Time from joining the cluster to the end of the training.</param>
internal sealed record ClientTrainingReport(
    string ClientId, string Shard, string Partition, int TrainSamples, int EvaluationSamples, int Tasks, double DataBits, double Gain, int Seed, double Seconds);
