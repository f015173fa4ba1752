using Akka.Configuration;

namespace QSI.Actors.Serialization;

/// <summary>
/// The configuration that makes an ActorSystem carry <see cref="Messages.IWireMessage"/> with
/// <see cref="QsiSerializer"/> and refuse to fall back to the default JSON serializer for
/// anything unbound (docs/TRANSPORT.md).
/// </summary>
public static class QsiSerialization
{
    /// <summary>
    /// HOCON to put in front of a system's configuration: registers the serializer, binds the
    /// marker interface to it, and sets <c>allow-unregistered-types = off</c>, so serializing a
    /// type with no binding throws instead of silently using Newtonsoft.Json.
    /// </summary>
    public const string Hocon = """
        akka.actor {
          serializers {
            qsi = "QSI.Actors.Serialization.QsiSerializer, QSI.Actors"
          }
          serialization-bindings {
            "QSI.Actors.Messages.IWireMessage, QSI.Actors" = qsi
          }
          serialization-settings {
            allow-unregistered-types = off
          }
        }
        """;

    /// <summary><see cref="Hocon"/>, parsed; use as <c>QsiSerialization.Config.WithFallback(rest)</c>.</summary>
    public static Config Config => ConfigurationFactory.ParseString(Hocon);
}
