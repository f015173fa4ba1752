using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Hosting;

namespace QSI.Node.Cluster;

/// <summary>
/// Starts one cluster node: an ActorSystem with remoting on the given address, clustering with
/// its roles and seed nodes, the keep-majority split-brain resolver, and the settings of
/// cluster-config/qsi.hocon, inside a generic host whose lifetime ends on Ctrl-C or SIGTERM
/// with a coordinated shutdown (the node leaves the cluster first).
/// </summary>
internal static class ClusterNode
{
    /// <summary>Builds the host; <paramref name="actors"/> adds the role's actors.</summary>
    public static IHost Build(ClusterNodeOptions options, Action<AkkaConfigurationBuilder> actors, string? extraHocon = null) =>
        new HostBuilder()
            .ConfigureServices(services => services.AddAkka(options.SystemName, (builder, _) =>
            {
                if (extraHocon is not null) builder.AddHocon(extraHocon, HoconAddMode.Prepend);
                builder
                    .AddHocon(ClusterConfig.Base, HoconAddMode.Append)
                    .WithRemoting(new RemoteOptions { HostName = options.Host, Port = options.Port })
                    .WithClustering(new ClusterOptions
                    {
                        Roles = options.Roles.ToArray(),
                        SeedNodes = options.SeedNodes.ToArray(),
                        SplitBrainResolver = new KeepMajorityOption(),
                    })
                    .AddStartup((system, _) =>
                    {
                        // The first node of a cluster has no seed to join: it joins itself,
                        // on the port it actually bound.
                        if (options.SeedNodes.Count == 0)
                        {
                            var cluster = Akka.Cluster.Cluster.Get(system);
                            cluster.Join(cluster.SelfAddress);
                        }
                    });
                actors(builder);
            }))
            .Build();

    /// <summary>The node's ActorSystem, once the host has started.</summary>
    public static ActorSystem System(IHost host) => (ActorSystem)host.Services.GetService(typeof(ActorSystem))!;
}
