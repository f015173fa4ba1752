using Akka.Configuration;
using Akka.Remote;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests;

/// <summary>
/// Configuration of a test system that serializes every message it delivers
/// (serialize-messages = on), so conversations also go through the wire codecs. Akka.Remote's
/// bindings come along, as on a real node: with unregistered types refused, Akka's own
/// messages (PoisonPill, Identify) need them too.
/// </summary>
internal static class SerializingSystem
{
    public static Config Config { get; } = ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
        .WithFallback(QsiSerialization.Config)
        .WithFallback(ConfigurationFactory.FromResource<RemoteActorRefProvider>("Akka.Remote.Configuration.Remote.conf"));
}
