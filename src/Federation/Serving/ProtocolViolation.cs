namespace QSI.Federation.Serving;

/// <summary>
/// A request that breaks the protocol (unknown client or request, a finished request, light of
/// the wrong shape). The party answers it with an error and carries on.
/// </summary>
public sealed class ProtocolViolation(string message) : Exception(message);
