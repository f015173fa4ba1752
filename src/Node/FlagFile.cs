using System.CommandLine;
using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace QSI.Node;

/// <summary>
/// Defaults for a command's flags from a HOCON file: the section <c>qsi.COMMAND</c> holds one
/// key per flag, named as the flag without its dashes (<c>qsi.simulate { rounds = 20, strategy = fedprox }</c>).
/// A flag given on the command line wins over the file, which wins over the flag's default.
/// The file's values are checked by the flags' own parsers, so a bad value fails exactly as it
/// would on the command line. A run folder's <c>run.conf</c> is such a file, written by
/// <see cref="Write"/>, so a run can be repeated or resumed from it.
/// </summary>
internal static class FlagFile
{
    /// <summary>
    /// The command line <paramref name="parse"/> came from, with every flag that the file at
    /// <paramref name="path"/> sets and the command line does not appended.
    /// </summary>
    /// <exception cref="UserError">The file is missing, is not HOCON, or names a flag the command does not have.</exception>
    public static string[] WithDefaults(ParseResult parse, string path)
    {
        var command = parse.CommandResult.Command;
        var section = Section(path, command.Name);
        var tokens = new List<string>(parse.Tokens.Select(t => t.Value));
        foreach (var (key, value) in section.AsEnumerable())
        {
            var option = command.Options.FirstOrDefault(o => o.Name == "--" + key)
                ?? throw new UserError($"config file {Path.GetFullPath(path)}: qsi.{command.Name}.{key} is not a flag of 'qsi {command.Name}' (see 'qsi {command.Name} --help')");
            if (parse.GetResult(option) is { Implicit: false }) continue;
            if (option is Option<bool>)
            {
                if (value.GetBoolean()) tokens.Add(option.Name);
                continue;
            }
            tokens.Add(option.Name);
            tokens.Add(value.IsArray() ? string.Join(',', value.GetStringList()) : value.GetString());
        }
        return [.. tokens];
    }

    /// <summary>
    /// <paramref name="parse"/> parsed again with the defaults of the file at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="UserError">The file is unusable, or a value it sets is out of range.</exception>
    public static ParseResult Reparse(ParseResult parse, string path)
    {
        var result = parse.RootCommandResult.Command.Parse(WithDefaults(parse, path));
        if (result.Errors.Count > 0)
            throw new UserError($"{string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.')).Distinct())} (from the command line or config file {Path.GetFullPath(path)})");
        return result;
    }

    /// <summary>
    /// A <c>qsi.COMMAND</c> section setting every one of <paramref name="options"/> to the value
    /// <paramref name="parse"/> resolved for it (given or default); options left null are skipped.
    /// </summary>
    public static string Write(ParseResult parse, IEnumerable<Option> options)
    {
        var text = new StringBuilder();
        var command = parse.CommandResult.Command.Name;
        text.AppendLine($"# The flags of this run of 'qsi {command}', as resolved. 'qsi {command} --config FILE' repeats it;");
        text.AppendLine($"# 'qsi {command} --resume DIR' continues it from its last checkpoint.");
        text.AppendLine($"qsi.{command} {{");
        foreach (var option in options)
        {
            var value = parse.GetResult(option) is { } result ? result.GetValueOrDefault<object?>() : null;
            if (value is null or Array { Length: 0 }) continue;
            text.AppendLine($"  {option.Name[2..]} = {Hocon(value)}");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static Config Section(string path, string command)
    {
        var config = HoconFile.Load(path).Config;
        foreach (var key in new[] { "qsi", $"qsi.{command}" })
            if (config.HasPath(key) && !config.GetValue(key).IsObject())
                throw new UserError($"config file {Path.GetFullPath(path)}: {key} must be a section {{ ... }}, not a value");
        return config.HasPath($"qsi.{command}") ? config.GetConfig($"qsi.{command}") : Config.Empty;
    }

    private static string Hocon(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        int[] list => string.Join(',', list.Select(i => i.ToString(CultureInfo.InvariantCulture))) is var joined && list.Length == 1 ? joined : $"\"{joined}\"",
        string[] list => $"\"{string.Join(',', list)}\"",
        _ => $"\"{value.ToString()!.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"",
    };
}
