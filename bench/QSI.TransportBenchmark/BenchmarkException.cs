namespace QSI.TransportBenchmark;

/// <summary>A run that cannot go on, with a one-line message for the user.</summary>
internal sealed class BenchmarkException(string message, Exception? inner = null) : Exception(message, inner);
