using Akka.Configuration;

namespace QSI.Node;

/// <summary>Reads a HOCON file the user named, with one-line errors for the usual mistakes.</summary>
internal static class HoconFile
{
    private static readonly TimeSpan ParseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The file's full path, its text and its parsed configuration.</summary>
    /// <exception cref="UserError">The file is missing, unreadable or not HOCON.</exception>
    public static (string FullPath, string Text, Config Config) Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"config file {fullPath}: {(e is FileNotFoundException or DirectoryNotFoundException ? "not found" : e.Message)}", e);
        }

        // Akka's HOCON parser loops forever on some malformed input (an unclosed list such as
        // "a = [1,"), so a file that does not parse promptly is reported as broken.
        var parsing = Task.Run(() => ConfigurationFactory.ParseString(text));
        try
        {
            if (!parsing.Wait(ParseTimeout))
            {
                throw new UserError($"config file {fullPath}: not valid HOCON (look for an unclosed bracket or a key without a value)");
            }
        }
        catch (AggregateException e)
        {
            throw new UserError($"config file {fullPath}: not valid HOCON: {e.InnerException?.Message}", e);
        }

        return (fullPath, text, parsing.Result);
    }
}
