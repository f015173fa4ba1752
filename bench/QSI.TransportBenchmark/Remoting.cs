using Akka.Actor;
using Akka.Configuration;
using QSI.Actors.Serialization;
using QSI.Actors.Transfer.Streams;

namespace QSI.TransportBenchmark;

/// <summary>The configuration of both actor systems: Akka.Remote on loopback with the project's serializer.</summary>
internal static class Remoting
{
    /// <summary>
    /// Remoting on a free 127.0.0.1 port with every transport setting at Akka's default, the
    /// serializer of docs/TRANSPORT.md, and logs on standard error (standard output carries
    /// the receiver's ready line and the report).
    /// </summary>
    private const string Base = """
        akka {
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          loglevel = WARNING
          stdout-loglevel = OFF
          loggers = ["QSI.TransportBenchmark.StandardErrorLogger, QSI.TransportBenchmark"]
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """;

    /// <summary>The system <paramref name="name"/>, with <paramref name="hocon"/> in front of the base configuration; its blob streams are plain TCP.</summary>
    public static ActorSystem Start(string name, string hocon) => Start(name, hocon, new BlobStreamSetup(null));

    /// <summary>
    /// The system <paramref name="name"/> with mutual TLS on its remoting and its blob streams
    /// (<see cref="TlsCertificate"/>), <paramref name="hocon"/> in front.
    /// </summary>
    public static ActorSystem StartTls(string name, string hocon, string certificatePath) =>
        Start(name, hocon + Environment.NewLine + TlsCertificate.Hocon(certificatePath), new BlobStreamSetup(TlsCertificate.StreamTls(certificatePath)));

    private static ActorSystem Start(string name, string hocon, BlobStreamSetup streams)
    {
        var config = ConfigurationFactory.ParseString(hocon)
            .WithFallback(ConfigurationFactory.ParseString(Base))
            .WithFallback(QsiSerialization.Config);
        return ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(config).And(streams));
    }

    /// <summary>The address <paramref name="system"/> listens on.</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;
}
