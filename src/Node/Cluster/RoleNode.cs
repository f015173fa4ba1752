using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;

namespace QSI.Node.Cluster;

/// <summary>
/// Runs a role's cluster node for a <c>qsi</c> command: starts it with the console lifetime, so
/// Ctrl-C and SIGTERM make it leave the cluster and stop, and says on stderr when it is up.
/// </summary>
internal static class RoleNode
{
    /// <summary>How long a stopping node may take to leave the cluster and shut its system down.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts the node; <paramref name="hocon"/> (a config file's text) wins over every other setting.</summary>
    /// <exception cref="UserError">The node could not start, typically because the port is taken.</exception>
    public static IHost Start(ClusterNodeOptions options, string? hocon, Action<AkkaConfigurationBuilder> actors)
    {
        CheckCanListen(options);
        var host = ClusterNode.CreateBuilder(options, actors, hocon)
            .UseConsoleLifetime(lifetime => lifetime.SuppressStatusMessages = true)
            .ConfigureHostOptions(host => host.ShutdownTimeout = ShutdownTimeout)
            .Build();
        try
        {
            host.StartAsync().GetAwaiter().GetResult();
            _ = ClusterNode.System(host);
        }
        catch (Exception e)
        {
            host.Dispose();
            throw new UserError($"cannot start a node on {options.Host}:{options.Port}: {Innermost(e).Message}", e);
        }

        return host;
    }

    /// <summary>Writes one line to stderr once the node is an Up member of the cluster.</summary>
    public static void AnnounceWhenUp(IHost host, Terminal terminal, string command)
    {
        var cluster = Akka.Cluster.Cluster.Get(ClusterNode.System(host));
        cluster.RegisterOnMemberUp(() => terminal.Error.WriteLine(
            $"qsi {command}: up at {cluster.SelfAddress} (roles: {string.Join(", ", cluster.SelfRoles.Order())}); Ctrl-C or SIGTERM leaves the cluster"));
    }

    /// <summary>Runs a long-lived node until Ctrl-C or SIGTERM (or until the cluster downs it), then leaves the cluster.</summary>
    public static int RunUntilStopped(Terminal terminal, string command, ClusterNodeOptions options, string? hocon, Action<AkkaConfigurationBuilder> actors)
    {
        using var host = Start(options, hocon, actors);
        AnnounceWhenUp(host, terminal, command);
        host.WaitForShutdown();
        return ShutByTheDoor(ClusterNode.System(host)) ? Failure.ReportFailure(terminal, DoorRefusal(options)) : ExitCodes.Success;
    }

    /// <summary>
    /// True when the node stopped because a TLS handshake with a peer failed: the peer refused this
    /// node's certificate, or showed one not of this node's CA (Akka.Remote then shuts the node down).
    /// Akka.Remote's reason type for it is internal, so it is known by name.
    /// </summary>
    public static bool ShutByTheDoor(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason?.GetType().FullName == "Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason";

    /// <summary>What to tell the user when <see cref="ShutByTheDoor"/>.</summary>
    public static string DoorRefusal(ClusterNodeOptions options) =>
        "the TLS handshake with a peer failed, so the node stopped: the peer's certificate is not of this node's --ca, or this node's certificate is not of the peer's "
        + $"(seed node(s) {string.Join(", ", options.SeedNodes)}; the warning above names the certificate; docs/OPERATIONS.md)";

    /// <summary>Leaves the cluster and stops the node, waiting at most <see cref="ShutdownTimeout"/>.</summary>
    public static void Stop(IHost host)
    {
        host.StopAsync().GetAwaiter().GetResult();
        host.Dispose();
    }

    // Akka reports a failed bind with a stack trace on stdout and several log lines; trying the
    // address first turns the usual mistakes (a taken port, a foreign address) into one line.
    private static void CheckCanListen(ClusterNodeOptions options)
    {
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(options.Host, out var ip) ? ip : Dns.GetHostAddresses(options.Host).First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            throw new UserError($"host '{options.Host}' does not resolve to an address this node can listen on ({e.Message})", e);
        }

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, options.Port));
        }
        catch (SocketException e)
        {
            throw new UserError(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"cannot listen on {options.Host}:{options.Port}: the port is in use (another node?); choose another with --port or QSI_PORT"
                : $"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}
