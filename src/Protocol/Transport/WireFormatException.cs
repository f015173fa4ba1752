namespace QSI.Protocol.Transport;

/// <summary>A payload that is not a well-formed wire form; the message is one line naming the problem.</summary>
public sealed class WireFormatException(string message) : FormatException(message);
