using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Door;
using QSI.Actors.Serialization;
using QSI.Node.Door;

namespace QSI.Node.Cluster;

/// <summary>
/// Starts one cluster node: an ActorSystem with remoting on the given address, clustering with
/// its roles and seed nodes, the keep-oldest split-brain resolver (the server's side stays), and the settings of
/// cluster-config/qsi.hocon, behind the node's mutual-TLS door when it has one, inside a generic host whose lifetime ends on Ctrl-C or SIGTERM
/// with a coordinated shutdown (the node leaves the cluster first).
/// </summary>
internal static class ClusterNode
{
    /// <summary>Builds the host; <paramref name="actors"/> adds the role's actors.</summary>
    public static IHost Build(ClusterNodeOptions options, Action<AkkaConfigurationBuilder> actors, string? extraHocon = null) =>
        CreateBuilder(options, actors, extraHocon).Build();

    /// <summary>
    /// The host builder of <see cref="Build"/>, for a caller that adds to it (the <c>qsi</c> role
    /// commands add the console lifetime). <paramref name="extraHocon"/> wins over every other setting.
    /// </summary>
    public static IHostBuilder CreateBuilder(ClusterNodeOptions options, Action<AkkaConfigurationBuilder> actors, string? extraHocon = null) =>
        new HostBuilder()
            .ConfigureServices(services => services.AddAkka(options.SystemName, (builder, _) =>
            {
                // Every node carries the wire messages with the one strict serializer (docs/TRANSPORT.md).
                builder.AddHocon(QsiSerialization.Hocon, HoconAddMode.Prepend);
                if (extraHocon is not null) builder.AddHocon(extraHocon, HoconAddMode.Prepend);
                builder
                    .AddHocon(ClusterConfig.Base, HoconAddMode.Append)
                    .ConfigureLoggers(loggers =>
                    {
                        loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                        loggers.ClearLoggers();
                        loggers.AddLogger<StandardErrorLogger>();
                    })
                    .WithRemoting(Remoting(options, builder))
                    .WithClustering(new ClusterOptions
                    {
                        Roles = options.Roles.ToArray(),
                        SeedNodes = options.SeedNodes.ToArray(),
                        // The federation is a star around its server: the side with the server
                        // stays, even alone (its clients all gone); without it, a side downs
                        // itself, and its nodes join the server's next incarnation (docs/FEDERATED.md, "Faults").
                        SplitBrainResolver = new KeepOldestOption { Role = "server", DownIfAlone = false },
                    })
                    .AddStartup((system, _) =>
                    {
                        // The first node of a cluster has no seed to join: it joins itself,
                        // on the port it actually bound.
                        if (options.Door is not null) system.ActorOf(DoorKeeper.Props(), DoorKeeper.Name);
                        if (options.SeedNodes.Count == 0)
                        {
                            var cluster = Akka.Cluster.Cluster.Get(system);
                            cluster.Join(cluster.SelfAddress);
                        }
                    });
                actors(builder);
            }));

    // With a door, every connection is mutual TLS: the node shows its certificate and checks the
    // peer's against the cluster CA (DoorValidator); the roles the peers' certificates name reach
    // the actors through RoleAdmission, set up before the system starts so no message slips by.
    private static RemoteOptions Remoting(ClusterNodeOptions options, AkkaConfigurationBuilder builder)
    {
        var remote = new RemoteOptions { HostName = options.Host, Port = options.Port };
        if (options.Door is not { } door) return remote;
        var peers = new CertifiedPeers();
        var validator = new DoorValidator(door.Trust, peers, TimeProvider.System);
        builder.AddSetup(new RoleCertificatesSetup(peers));
        // Payloads between processes travel over the node's blob streams, behind the same door.
        builder.AddSetup(door.Streams(validator));
        // The roles of an address are seen on a connection this node dials; it must never send over one it did not.
        builder.AddHocon("akka.remote.use-passive-connections = off", HoconAddMode.Prepend);
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = door.Certificate,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            // The custom validator replaces Akka's own checks; it checks the host itself, both ways.
            ValidateCertificateHostname = true,
            CustomValidator = validator.Validate,
        };
        return remote;
    }

    /// <summary>The node's ActorSystem, once the host has started.</summary>
    public static ActorSystem System(IHost host) => (ActorSystem)host.Services.GetService(typeof(ActorSystem))!;
}
