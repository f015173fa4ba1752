namespace QSI.Actors.Messages;

/// <summary>
/// A message that crosses process boundaries. Every implementation has a codec in
/// <see cref="Serialization.QsiSerializer"/>, which the serialization binding of this
/// interface routes it to; no such message may reach Akka's default JSON serializer.
/// </summary>
public interface IWireMessage;
