using Akka.Actor;
using Akka.Cluster;
using QSI.Actors.Door;

namespace QSI.Actors.Conversation;

/// <summary>
/// Whether a message comes from a server: an actor of this process (a verifier handed to its
/// server, as in <c>qsi simulate</c> and <c>--with-verifier</c>), or of a cluster member that
/// carries the role "server" and, on a node with a TLS door, whose certificate names that role
/// (<see cref="RoleAdmission"/>): membership is only the cluster's account of who claims what.
/// </summary>
internal static class ServerMembership
{
    /// <summary>The role a server's node carries.</summary>
    public const string Role = "server";

    /// <summary>True when <paramref name="sender"/> is local, or lives on an up member of role <see cref="Role"/> that may hold it.</summary>
    public static bool IsServer(ActorSystem system, IActorRef sender)
    {
        if (sender.IsNobody()) return false;
        var address = sender.Path.Address;
        if (address.Host is null) return true;
        if (system is not ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }) return false;
        return Cluster.Get(system).State.Members.Any(m => m.Address.Equals(address) && m.HasRole(Role) && m.Status == MemberStatus.Up)
            && RoleAdmission.Get(system).MayHold(address, Role);
    }
}
