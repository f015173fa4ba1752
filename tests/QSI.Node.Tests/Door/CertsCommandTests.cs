using System.Security.Cryptography.X509Certificates;
using QSI.Node.Door;

namespace QSI.Node.Tests.Door;

public sealed class CertsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("certs");

    [Fact]
    public void Init_and_issue_write_a_CA_and_a_node_certificate_the_node_can_load()
    {
        Assert.Equal(0, Qsi.Run("certs", "init", "--dir", Dir).ExitCode);
        var issue = Qsi.Run("certs", "issue", "server,verifier", "alpha", "--dir", Dir, "--host", "127.0.0.2", "--host", "alpha.example", "--days", "30");

        Assert.True(issue.ExitCode == 0, issue.Stderr);
        var door = NodeDoor.Load(Path.Combine(Dir, "alpha.crt"), Path.Combine(Dir, "alpha.key"), Path.Combine(Dir, "ca.crt"), "127.0.0.2", ["server", "verifier"], DateTime.UtcNow);
        Assert.True(door.Certificate.HasPrivateKey);
        Assert.Equal(["server", "verifier"], NodeRoles.Of(door.Certificate).Order());
        Assert.InRange((door.Certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 29.9, 30.1);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Dir, "alpha.key")));
    }

    [Fact]
    public void A_missing_CA_an_unknown_role_and_an_existing_file_are_one_line_errors()
    {
        Assert.Contains("no cluster CA in", Qsi.AssertUsageError(Qsi.Run("certs", "issue", "client", "c", "--dir", Dir)));
        Assert.Equal(0, Qsi.Run("certs", "init", "--dir", Dir).ExitCode);
        var key = File.ReadAllText(Path.Combine(Dir, "ca.key"));

        Assert.Contains("exists already", Qsi.AssertUsageError(Qsi.Run("certs", "init", "--dir", Dir)));
        Assert.Equal(key, File.ReadAllText(Path.Combine(Dir, "ca.key")));
        Assert.Contains("unknown role 'boss'", Qsi.AssertUsageError(Qsi.Run("certs", "issue", "boss", "c", "--dir", Dir)));
        Assert.Equal(0, Qsi.Run("certs", "issue", "client", "c", "--dir", Dir).ExitCode);
        Assert.Contains("c.crt exists already", Qsi.AssertUsageError(Qsi.Run("certs", "issue", "client", "c", "--dir", Dir)));
        Assert.Contains("plain file name", Qsi.AssertUsageError(Qsi.Run("certs", "issue", "client", "../c", "--dir", Dir)));
    }

    [Theory]
    [InlineData("init")]
    [InlineData("issue")]
    public void Help_lists_every_option_of_the_subcommand(string subcommand)
    {
        var run = Qsi.Run("certs", subcommand, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--dir", run.Stdout);
        Assert.Contains("--days", run.Stdout);
    }

    [Fact]
    public void A_node_without_a_certificate_or_insecure_says_what_to_do()
    {
        var line = Qsi.AssertUsageError(Qsi.Run("verifier"));

        Assert.Contains("give --cert FILE and --ca FILE", line);
        Assert.Contains("--insecure", line);
    }

    [Fact]
    public void A_node_refuses_a_role_its_certificate_does_not_name_and_a_host_it_does_not_name()
    {
        Assert.Equal(0, Qsi.Run("certs", "init", "--dir", Dir).ExitCode);
        Assert.Equal(0, Qsi.Run("certs", "issue", "client", "c", "--dir", Dir, "--host", "127.0.0.3").ExitCode);
        string[] door = ["--cert", Path.Combine(Dir, "c.crt"), "--ca", Path.Combine(Dir, "ca.crt")];

        var asVerifier = Qsi.AssertUsageError(Qsi.Run(["verifier", "--host", "127.0.0.3", .. door]));
        Assert.Contains("names roles [client], so this node cannot take role verifier", asVerifier);
        var elsewhere = Qsi.AssertUsageError(Qsi.Run(["client", "--host", "127.0.0.4", "--join-timeout", "1", .. door]));
        Assert.Contains("is for hosts [127.0.0.3], not 127.0.0.4", elsewhere);
    }

    [Fact]
    public void Door_files_come_from_the_environment_or_the_config_file_relative_to_it()
    {
        Assert.Equal(0, Qsi.Run("certs", "init", "--dir", Dir).ExitCode);
        Assert.Equal(0, Qsi.Run("certs", "issue", "client", "c", "--dir", Dir).ExitCode);
        var config = Path.Combine(Dir, "node.hocon");
        File.WriteAllText(config, "qsi.node { cert = c.crt, ca = ca.crt }");
        var command = new System.CommandLine.RootCommand();
        var node = new QSI.Node.Cluster.NodeOptions(defaultPort: 0);
        foreach (var option in node.All) command.Options.Add(option);

        var fromFile = node.Resolve(command.Parse(["--config", config]), _ => null, "client").Options;
        var fromEnvironment = node.Resolve(command.Parse([]), name => name switch
        {
            "QSI_CERT" => Path.Combine(Dir, "c.crt"),
            "QSI_CA" => Path.Combine(Dir, "ca.crt"),
            _ => null,
        }, "client").Options;
        var insecure = node.Resolve(command.Parse(["--config", config]), name => name == "QSI_INSECURE" ? "1" : null, "client").Options;

        Assert.Equal("akka.ssl.tcp", fromFile.Scheme);
        Assert.Equal(fromFile.Door!.Certificate.Thumbprint, fromEnvironment.Door!.Certificate.Thumbprint);
        Assert.Null(insecure.Door);
        Assert.Equal("akka.tcp", insecure.Scheme);
    }
}
