using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Event;
using QSI.Node.Door;

namespace QSI.Node.Tests.Door;

public sealed class ClusterAuthorityTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly X509Certificate2 Ca = ClusterAuthority.Create("test CA", Now.AddDays(-1), Now.AddDays(30));
    private static readonly ClusterTrust Trust = new([Ca]);

    private static X509Certificate2 Node(string roles, string host = "127.0.0.2", X509Certificate2? by = null, int fromDays = -1, int toDays = 10) =>
        ClusterAuthority.Issue(by ?? Ca, "node", NodeRoles.Parse(roles), [host], Now.AddDays(fromDays), Now.AddDays(toDays));

    [Fact]
    public void A_node_certificate_names_its_roles_and_hosts_and_chains_to_the_cluster_CA()
    {
        using var certificate = ClusterAuthority.Issue(Ca, "both", ["server", "verifier"], ["127.0.0.2", "node.example"], Now.AddDays(-1), Now.AddDays(1));

        Assert.Equal(["server", "verifier"], NodeRoles.Of(certificate).Order());
        Assert.True(ClusterTrust.Names(certificate, "127.0.0.2"));
        Assert.True(ClusterTrust.Names(certificate, "NODE.example"));
        Assert.False(ClusterTrust.Names(certificate, "127.0.0.3"));
        Assert.True(ClusterTrust.Names(certificate, "::ffff:127.0.0.2"));
        Assert.Null(Trust.Problem(certificate, DateTime.UtcNow));
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void Certificates_of_another_CA_expired_not_yet_valid_self_signed_or_of_a_CA_are_refused()
    {
        using var other = ClusterAuthority.Create("other CA", Now.AddDays(-1), Now.AddDays(30));
        using var foreign = Node("client", by: other);
        using var expired = Node("client", fromDays: -1, toDays: -0);
        using var early = Node("client", fromDays: 1, toDays: 2);

        Assert.Contains("does not chain to the cluster CA", Trust.Problem(foreign, DateTime.UtcNow));
        Assert.Contains("expired", Trust.Problem(expired, DateTime.UtcNow.AddMinutes(1)));
        Assert.Contains("not valid before", Trust.Problem(early, DateTime.UtcNow));
        Assert.Contains("is a CA", Trust.Problem(Ca, DateTime.UtcNow));
        Assert.Contains("is a CA", Trust.Problem(other, DateTime.UtcNow));
    }

    [Fact]
    public void A_bundle_of_two_CAs_trusts_certificates_of_either_while_a_CA_is_rotated()
    {
        using var next = ClusterAuthority.Create("next CA", Now.AddDays(-1), Now.AddDays(30));
        using var old = Node("client");
        using var renewed = Node("client", by: next);

        var both = new ClusterTrust([Ca, next]);

        Assert.Null(both.Problem(old, DateTime.UtcNow));
        Assert.Null(both.Problem(renewed, DateTime.UtcNow));
        Assert.NotNull(Trust.Problem(renewed, DateTime.UtcNow));
    }

    [Fact]
    public void A_certificate_may_not_outlive_its_CA_and_roles_must_be_known()
    {
        Assert.Contains("outlive the CA", Assert.Throws<UserError>(() => Node("client", toDays: 31)).Message);
        Assert.Contains("unknown role 'admin'", Assert.Throws<UserError>(() => NodeRoles.Parse("client,admin")).Message);
        Assert.Equal(["server", "verifier"], NodeRoles.Parse(" server , verifier,server"));
    }

    [Fact]
    public void The_validator_records_the_roles_of_the_node_dialled_and_refuses_one_whose_certificate_names_another_host()
    {
        var peers = new CertifiedPeers();
        var validator = new DoorValidator(Trust, peers, TimeProvider.System);
        using var client = Node("client", host: "127.0.0.3");
        var log = NoLogger.Instance;
        var dialled = Address.Parse("akka.ssl.tcp://qsi@127.0.0.3:4100");

        Assert.True(validator.Validate(client, null, dialled.ToString(), SslPolicyErrors.RemoteCertificateChainErrors, log));
        Assert.Equal(["client"], peers.RolesOf(dialled)!);
        Assert.Null(peers.RolesOf(Address.Parse("akka.ssl.tcp://qsi@127.0.0.3:4101")));

        // The same certificate answering on another host is refused, and records nothing.
        var elsewhere = Address.Parse("akka.ssl.tcp://qsi@127.0.0.4:4100");
        Assert.False(validator.Validate(client, null, elsewhere.ToString(), SslPolicyErrors.None, log));
        Assert.False(validator.Validate(client, null, dialled.ToString(), SslPolicyErrors.RemoteCertificateNameMismatch, log));
        Assert.Null(peers.RolesOf(elsewhere));

        // A connection that comes in is let in on its certificate alone; its source address proves nothing.
        Assert.True(validator.Validate(client, null, "[::ffff:127.0.0.1]:50000", SslPolicyErrors.None, log));
        Assert.False(validator.Validate(null, null, "[::ffff:127.0.0.1]:50001", SslPolicyErrors.RemoteCertificateNotAvailable, log));
        Assert.Equal(3, validator.Refused);
    }

    [Fact]
    public void A_certificate_that_names_no_role_is_refused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=roleless", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse("127.0.0.2"));
        request.CertificateExtensions.Add(names.Build());
        using var roleless = request.Create(Ca, Now.AddDays(-1), Now.AddDays(1), [1, 2, 3]);

        Assert.Empty(NodeRoles.Of(roleless));
        Assert.False(new DoorValidator(Trust, new CertifiedPeers(), TimeProvider.System)
            .Validate(roleless, null, "akka.ssl.tcp://qsi@127.0.0.2:1", SslPolicyErrors.None, NoLogger.Instance));
    }
}
