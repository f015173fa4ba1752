using Akka.Actor;
using Akka.Actor.Setup;

namespace QSI.Actors.Door;

/// <summary>
/// Who may hold which role: the roles the cluster CA certified for the node at a member's
/// address, as the node's TLS door saw them in the peer's certificate. Gossip says what a member
/// claims; this says what it may claim.
/// </summary>
public interface IRoleCertificates
{
    /// <summary>The roles certified for the node at <paramref name="member"/>; null while no certificate of it has been seen.</summary>
    IReadOnlySet<string>? RolesOf(Address member);
}

/// <summary>Hands a node's <see cref="IRoleCertificates"/> to its ActorSystem before the system starts.</summary>
/// <param name="certificates">The certified roles of the node's peers.</param>
public sealed class RoleCertificatesSetup(IRoleCertificates certificates) : Setup
{
    /// <summary>The certified roles of the node's peers.</summary>
    public IRoleCertificates Certificates { get; } = certificates;
}

/// <summary>
/// The node's check of a role a member claims. A node without a door (plain TCP, or every role
/// in one process) trusts membership as gossip tells it; a node with one grants a member a role
/// only when the member's certificate names it, and refuses while its certificate is unseen.
/// </summary>
public sealed class RoleAdmission : IExtension
{
    private readonly IRoleCertificates? _certificates;

    private RoleAdmission(IRoleCertificates? certificates)
    {
        _certificates = certificates;
    }

    /// <summary>True when the node checks roles against certificates.</summary>
    public bool HasDoor => _certificates is not null;

    /// <summary>The admission of <paramref name="system"/>.</summary>
    public static RoleAdmission Get(ActorSystem system) => system.WithExtension<RoleAdmission, RoleAdmissionProvider>();

    /// <summary>True when the node at <paramref name="member"/> may hold <paramref name="role"/>.</summary>
    public bool MayHold(Address member, string role) =>
        _certificates is null || _certificates.RolesOf(member)?.Contains(role) == true;

    /// <summary>The certified roles of <paramref name="member"/>: null without a door, or while its certificate is unseen.</summary>
    public IReadOnlySet<string>? CertifiedRoles(Address member) => _certificates?.RolesOf(member);

    /// <summary>Creates the extension from the system's <see cref="RoleCertificatesSetup"/>, if any.</summary>
    private sealed class RoleAdmissionProvider : ExtensionIdProvider<RoleAdmission>
    {
        public override RoleAdmission CreateExtension(ExtendedActorSystem system)
        {
            var setup = system.Settings.Setup.Get<RoleCertificatesSetup>();
            return new RoleAdmission(setup.HasValue ? setup.Value.Certificates : null);
        }
    }
}
