using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using QSI.Actors.Serialization;
using Xunit.Abstractions;

namespace QSI.Actors.Tests.Remoting;

/// <summary>
/// Two actor systems in one process, joined by Akka.Remote over TCP on 127.0.0.1 with ports
/// chosen by the OS and every remote setting at its default (128 kB frames): the test kit's
/// system "a", and "b".
/// </summary>
public abstract class RemoteSpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Remoting on a free loopback port, with the serializer configuration.</summary>
    protected static readonly Config Remoting = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        """).WithFallback(QsiSerialization.Config);

    /// <summary>Starts "a" with <paramref name="configA"/> and "b" with <see cref="Remoting"/>.</summary>
    protected RemoteSpec(ITestOutputHelper output, Config? configA = null) : base(configA ?? Remoting, "a", output)
    {
        SystemB = ActorSystem.Create("b", Remoting.WithFallback(DefaultConfig));
    }

    /// <summary>The second system.</summary>
    protected ActorSystem SystemB { get; }

    /// <summary>The address system <paramref name="system"/> listens on.</summary>
    protected static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>A reference, held by "a", to <paramref name="actorOnB"/>, resolved over the wire.</summary>
    protected IActorRef FromA(IActorRef actorOnB) =>
        Sys.ActorSelection(actorOnB.Path.ToStringWithAddress(AddressOf(SystemB))).ResolveOne(TimeSpan.FromSeconds(5)).Result;

    /// <summary>A probe that records the association errors and disassociations <paramref name="system"/> sees.</summary>
    protected TestProbe AssociationWatch(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(Akka.Remote.AssociationErrorEvent));
        system.EventStream.Subscribe(probe.Ref, typeof(Akka.Remote.DisassociatedEvent));
        return probe;
    }

    /// <inheritdoc />
    protected override void AfterAll()
    {
        Shutdown(SystemB, verifySystemShutdown: false);
        base.AfterAll();
    }
}
