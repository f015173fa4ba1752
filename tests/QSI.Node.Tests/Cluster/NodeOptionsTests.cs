using System.CommandLine;
using QSI.Node.Cluster;
using QSI.Node.Commands;

namespace QSI.Node.Tests.Cluster;

public sealed class NodeOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ClusterNodeOptions Resolve(NodeOptions node, string[] args, Dictionary<string, string>? environment = null)
    {
        var command = new RootCommand();
        foreach (var option in node.All) command.Options.Add(option);
        // These tests are about where each setting comes from, not about the door.
        var parse = command.Parse([.. args, "--insecure"]);
        Assert.Empty(parse.Errors);
        return node.Resolve(parse, name => environment?.GetValueOrDefault(name), "client").Options;
    }

    private string ConfigFile(string text)
    {
        var path = _temp.Combine("node.hocon");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Flags_win_over_the_environment_which_wins_over_the_config_file_which_wins_over_defaults()
    {
        var config = ConfigFile("""
            qsi.node { host = 127.0.0.3, port = 4100, seed-nodes = ["akka.tcp://qsi@127.0.0.3:4053"] }
            akka.loglevel = INFO
            """);
        var environment = new Dictionary<string, string> { ["QSI_PORT"] = "4200", ["QSI_SEED_NODES"] = "akka.tcp://qsi@127.0.0.4:4053" };

        var defaults = Resolve(new NodeOptions(defaultPort: 0), []);
        Assert.Equal(("127.0.0.1", 0, 0), (defaults.Host, defaults.Port, defaults.SeedNodes.Count));

        var fromFile = Resolve(new NodeOptions(defaultPort: 0), ["--config", config]);
        Assert.Equal(("127.0.0.3", 4100), (fromFile.Host, fromFile.Port));
        Assert.Equal(["akka.tcp://qsi@127.0.0.3:4053"], fromFile.SeedNodes);

        var fromEnvironment = Resolve(new NodeOptions(defaultPort: 0), ["--config", config], environment);
        Assert.Equal(("127.0.0.3", 4200), (fromEnvironment.Host, fromEnvironment.Port));
        Assert.Equal(["akka.tcp://qsi@127.0.0.4:4053"], fromEnvironment.SeedNodes);

        var fromFlags = Resolve(new NodeOptions(defaultPort: 0),
            ["--config", config, "--port", "4300", "--host", "127.0.0.5", "--seed-node", "akka.tcp://qsi@127.0.0.5:1", "--seed-node", "akka.tcp://qsi@127.0.0.5:2"], environment);
        Assert.Equal(("127.0.0.5", 4300), (fromFlags.Host, fromFlags.Port));
        Assert.Equal(["akka.tcp://qsi@127.0.0.5:1", "akka.tcp://qsi@127.0.0.5:2"], fromFlags.SeedNodes);
    }

    [Fact]
    public void A_config_file_passes_its_akka_settings_to_the_node()
    {
        var config = ConfigFile("akka.loglevel = INFO");
        var command = new RootCommand();
        var node = new NodeOptions(defaultPort: 0);
        foreach (var option in node.All) command.Options.Add(option);

        var (_, hocon) = node.Resolve(command.Parse(["--config", config, "--insecure"]), _ => null, "server");

        Assert.Equal("akka.loglevel = INFO", hocon);
    }

    [Fact]
    public void A_node_that_joins_a_server_by_default_seeds_from_the_servers_port_on_its_own_host()
    {
        var options = Resolve(new NodeOptions(defaultPort: 0, defaultSeedPort: ServerCommand.DefaultPort), ["--host", "127.0.0.7"]);

        Assert.Equal(["akka.tcp://qsi@127.0.0.7:4053"], options.SeedNodes);
    }

    [Theory]
    [InlineData("qsi.node { port = 70000 }", "port")]
    [InlineData("qsi.node { port = abc }", "qsi.node")]
    [InlineData("qsi.node { host = ${missing} }", "not valid HOCON")]
    public void A_bad_config_file_is_named_with_its_problem(string text, string problem)
    {
        var config = ConfigFile(text);

        var error = Assert.Throws<UserError>(() => Resolve(new NodeOptions(defaultPort: 0), ["--config", config]));

        Assert.Contains(config, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("--seed-node", "nonsense", "not a node address")]
    [InlineData("--seed-node", "akka.tcp://other@127.0.0.1:4053", "system 'other'")]
    [InlineData("--port", "70000", "--port must be a port number")]
    [InlineData("--config", "/no/such/node.hocon", "not found")]
    public void A_bad_node_flag_is_one_line_naming_it(string flag, string value, string problem)
    {
        var line = Qsi.AssertUsageError(Qsi.Run("verifier", flag, value));

        Assert.Contains(problem, line);
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("a/b")]
    [InlineData("3")]
    [InlineData("1/2/3")]
    public void A_bad_shard_is_a_usage_error(string shard)
    {
        var line = Qsi.AssertUsageError(Qsi.Run("client", "--shard", shard));

        Assert.Contains("--shard must be K/N", line);
        Assert.Contains($"'{shard}'", line);
    }

    [Fact]
    public void Shards_split_the_images_without_overlap()
    {
        Assert.Equal([1, 4, 7], new Shard(1, 3).Indices(10));
        Assert.Equal([2, 5, 8], new Shard(2, 3).Indices(10));
        Assert.Equal(10, Enumerable.Range(0, 3).SelectMany(k => new Shard(k, 3).Indices(10)).Distinct().Count());
        Assert.Empty(new Shard(3, 4).Indices(3));
    }

    [Fact]
    public void Verifier_settings_on_a_server_without_its_verifier_are_a_usage_error()
    {
        var line = Qsi.AssertUsageError(Qsi.Run("server", "--model", "m.qsim", "--photons", "2", "--false-alarm", "0.05"));

        Assert.Contains("--with-verifier", line);
    }
}
