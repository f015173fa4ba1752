using System.CommandLine;

namespace QSI.Node.Tests;

public sealed class HelpTests
{
    public static TheoryData<string> Commands => new() { "leakage", "train", "infer", "curve", "attack", "server", "verifier", "calibrate", "client", "certs", "import", "export" };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_lists_every_option_of_the_command(string command)
    {
        var run = Qsi.Run(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Stdout);
        foreach (var option in FindCommand(command).Options)
        {
            Assert.Contains(option.Name, run.Stdout);
        }
    }

    [Fact]
    public void Every_command_and_option_has_a_description()
    {
        var root = QsiApp.CreateRootCommand(Terminal.ForWriters(TextWriter.Null, TextWriter.Null));

        Assert.Equal(["leakage", "train", "infer", "curve", "attack", "server", "verifier", "calibrate", "client", "simulate", "certs", "import", "export"], root.Subcommands.Select(c => c.Name));
        foreach (var command in root.Subcommands)
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Description), command.Name);
            foreach (var option in command.Options)
            {
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{command.Name} {option.Name}");
            }
        }
    }

    [Fact]
    public void Help_wins_over_a_bad_value()
    {
        var run = Qsi.Run("leakage", "--gain", "0.5", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--gain", run.Stdout);
    }

    private static Command FindCommand(string name) =>
        QsiApp.CreateRootCommand(Terminal.ForWriters(TextWriter.Null, TextWriter.Null)).Subcommands.Single(c => c.Name == name);
}
