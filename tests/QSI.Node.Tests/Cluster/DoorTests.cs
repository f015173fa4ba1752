using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using QSI.Actors.Messages;
using QSI.Actors.Roles;
using QSI.Node.Cluster;
using QSI.Node.Door;

namespace QSI.Node.Tests.Cluster;

/// <summary>
/// An honest verifier process founds a cluster on 127.0.0.1 behind the door; strangers on
/// 127.0.0.4, ActorSystems of the test process speaking real TLS, try to get in. What the honest
/// node sees (its log and its membership) shows each one refused.
/// </summary>
public sealed class DoorTests : IClassFixture<DoorTests.HonestNode>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string StrangerHost = "127.0.0.4";
    private readonly HonestNode _honest;

    public DoorTests(HonestNode honest)
    {
        _honest = honest;
    }

    /// <summary>A verifier process that founds the cluster, shared by the tests of the class.</summary>
    public sealed class HonestNode : IAsyncLifetime
    {
        internal QsiProcess Process { get; private set; } = null!;

        public string Seed { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Seed = $"akka.ssl.tcp://qsi@127.0.0.1:{Ports.Free()}";
            Process = QsiProcess.Start("verifier", "--port", Seed[(Seed.LastIndexOf(':') + 1)..], "--seed-node", Seed);
            Assert.True(await Process.WaitForStderr("qsi verifier: up at " + Seed, Patience), Process.Stderr);
        }

        public Task DisposeAsync()
        {
            Process.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_stranger_with_a_certificate_of_another_CA_is_refused_at_the_TLS_handshake()
    {
        var now = DateTimeOffset.UtcNow;
        using var otherCa = ClusterAuthority.Create("another CA", now.AddDays(-1), now.AddDays(2));
        using var certificate = ClusterAuthority.Issue(otherCa, "stranger", ["verifier"], [StrangerHost], now.AddMinutes(-5), now.AddDays(1));

        await AssertRefused(certificate, "does not chain to the cluster CA");
    }

    [Fact]
    public async Task A_stranger_with_an_expired_certificate_of_the_cluster_CA_is_refused_at_the_TLS_handshake()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = ClusterAuthority.Issue(TestCertificates.Authority, "expired", ["verifier"], [StrangerHost], now.AddMinutes(-9), now.AddMinutes(-1));

        await AssertRefused(certificate, "expired");
    }

    [Fact]
    public async Task A_stranger_with_a_self_signed_certificate_naming_a_role_is_refused_at_the_TLS_handshake()
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self-signed, O=QSI cluster node", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Parse(StrangerHost));
        names.AddUri(new Uri(NodeRoles.Uri("server")));
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        await AssertRefused(certificate, "does not chain to the cluster CA");
    }

    [Fact]
    public async Task A_stranger_with_no_certificate_is_refused_at_the_TLS_handshake()
    {
        // TLS with no client certificate: the stranger's own listener has one, its dialling side shows none.
        var folder = TestCertificates.Folder("no-certificate");
        var now = DateTimeOffset.UtcNow;
        using var own = ClusterAuthority.Issue(TestCertificates.Authority, "listener", ["verifier"], [StrangerHost], now.AddMinutes(-5), now.AddDays(1));
        var pfx = Path.Combine(folder, "listener.pfx");
        File.WriteAllBytes(pfx, own.Export(X509ContentType.Pkcs12, "x"));
        var hocon = $$"""
            akka.remote.dot-netty.tcp {
              enable-ssl = true
              ssl { suppress-validation = true, require-mutual-authentication = false, certificate { path = "{{pfx}}", password = "x" } }
            }
            """;
        await AssertKeptOut(Stranger(["verifier"], door: null), hocon, "did not provide a certificate");
    }

    [Fact]
    public async Task A_stranger_speaking_plain_TCP_cannot_join()
    {
        var plainSeed = _honest.Seed.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal);
        await AssertKeptOut(Stranger(["verifier"], door: null) with { SeedNodes = [plainSeed] }, null, "TLS handshake failed");
    }

    [Fact]
    public async Task A_client_certificate_claiming_the_server_role_is_downed_and_its_server_orders_are_dropped()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = ClusterAuthority.Issue(TestCertificates.Authority, "liar", ["client"], [StrangerHost], now.AddMinutes(-5), now.AddDays(1));
        var before = _honest.Process.Stderr.Length;
        // The liar stays up when downed, to show its orders are dropped all along.
        using var liar = ClusterNode.Build(Stranger(["server"], Door(certificate)), _ => { }, "akka.cluster.run-coordinated-shutdown-when-down = off");
        await liar.StartAsync();
        try
        {
            var system = ClusterNode.System(liar);
            // It gets through TLS (its certificate is the cluster CA's), but as a server it may order the verifier nothing.
            var inbox = Inbox.Create(system);
            var offer = new Blobs.Offer(BlobId.New(), "frame", 1, Blobs.MaxChunkSize, inbox.Receiver);
            var order = new Verification.Expect("client-x", 1, 7, 1, [offer], [1], inbox.Receiver, inbox.Receiver, 0.01, null);
            var verifier = system.ActorSelection($"{_honest.Seed}/user/{VerifierActor.Name}");
            using var orders = new Timer(_ => verifier.Tell(order, inbox.Receiver), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));

            Assert.True(await StderrSince(before, "claims roles [server] but its certificate names [client]; downing it"), _honest.Process.Stderr);
            Assert.True(await StderrSince(before, "which is not a server"), _honest.Process.Stderr);
        }
        finally
        {
            await liar.StopAsync();
        }
    }

    [Fact]
    public async Task A_client_process_of_another_cluster_CA_is_told_in_one_line_and_exits_1()
    {
        var now = DateTimeOffset.UtcNow;
        var folder = TestCertificates.Folder("other-ca");
        using var otherCa = ClusterAuthority.Create("another CA", now.AddDays(-1), now.AddDays(2));
        using var certificate = ClusterAuthority.Issue(otherCa, "stranger", ["client"], [StrangerHost], now.AddMinutes(-5), now.AddDays(1));
        var caPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(caPath, otherCa.ExportCertificatePem());
        var data = Directory.CreateDirectory(Path.Combine(folder, "mnist")).FullName;
        SyntheticMnist.Write(data);

        using var client = QsiProcess.Start("client", "--train", "--data", data, "--host", StrangerHost, "--seed-node", _honest.Seed, "--join-timeout", "30",
            "--cert", TestCertificates.Write(certificate, folder, "stranger"), "--ca", caPath);

        Assert.True(await client.WaitForExit(Patience), client.Stderr);
        Assert.Equal(1, client.ExitCode);
        Assert.Contains("the TLS handshake with a peer failed, so the node stopped", client.Stderr);
        Assert.DoesNotContain("was stopped before", client.Stderr);
    }

    // The door's own refusal line, with the reason.
    private async Task AssertRefused(X509Certificate2 certificate, string reason) =>
        await AssertKeptOut(Stranger(["verifier"], Door(certificate)), null, "door: refused TLS peer", reason);

    // Starts the stranger, waits for the honest node's line saying it refused it, and checks it never joined.
    private async Task AssertKeptOut(ClusterNodeOptions options, string? hocon, string line, string? reason = null)
    {
        var before = _honest.Process.Stderr.Length;
        using var stranger = ClusterNode.Build(options, _ => { }, hocon);
        await stranger.StartAsync();
        try
        {
            Assert.True(await StderrSince(before, line), _honest.Process.Stderr);
            if (reason is not null) Assert.Contains(reason, _honest.Process.Stderr[before..]);
            AssertNotJoined(stranger);
        }
        finally
        {
            await stranger.StopAsync();
        }
    }

    private ClusterNodeOptions Stranger(string[] roles, NodeDoor? door) =>
        new() { Host = StrangerHost, Roles = roles, SeedNodes = [_honest.Seed], Door = door };

    // The stranger trusts the cluster CA (its certificate is public), so only the honest side's refusal keeps it out.
    private static NodeDoor Door(X509Certificate2 certificate) =>
        new(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null), new ClusterTrust([TestCertificates.Authority]));

    private void AssertNotJoined(IHost stranger)
    {
        var cluster = Akka.Cluster.Cluster.Get(ClusterNode.System(stranger));
        Assert.DoesNotContain(cluster.State.Members, m => m.Address.ToString() == _honest.Seed);
        Assert.NotEqual(MemberStatus.Up, cluster.SelfMember.Status);
    }

    private async Task<bool> StderrSince(int start, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_honest.Process.Stderr[start..].Contains(text, StringComparison.Ordinal)) return true;
            await Task.Delay(100);
        }

        return false;
    }

}
