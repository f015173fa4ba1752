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

        if (Unbalanced(text) is { } problem) throw new UserError($"config file {fullPath}: not valid HOCON: {problem}");

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
            throw new UserError($"config file {fullPath}: not valid HOCON: {OneLine(e.InnerException?.Message ?? "")}", e);
        }

        return (fullPath, text, parsing.Result);
    }

    /// <summary>
    /// The first bracket of <paramref name="text"/> that is never closed or closes nothing, in a sentence;
    /// null when they pair up. Strings and comments are skipped. Akka's parser accepts an unclosed
    /// object silently (a truncated file) and loops on an unclosed list, so this runs first.
    /// </summary>
    internal static string? Unbalanced(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (c == '\n') line++;
            else if (c == '#' || (c == '/' && k + 1 < text.Length && text[k + 1] == '/'))
                while (k + 1 < text.Length && text[k + 1] != '\n') k++;
            else if (c == '"')
            {
                var triple = string.CompareOrdinal(text, k, "\"\"\"", 0, 3) == 0;
                var end = triple ? text.IndexOf("\"\"\"", k + 3, StringComparison.Ordinal) : ClosingQuote(text, k + 1);
                if (end < 0) return $"a string opened on line {line} is never closed";
                line += text.AsSpan(k, end - k).Count('\n');
                k = end + (triple ? 2 : 0);
            }
            else if (c is '{' or '[') open.Push((c, line));
            else if (c is '}' or ']')
            {
                if (open.Count == 0 || open.Pop().Bracket != (c == '}' ? '{' : '[')) return $"the '{c}' on line {line} closes nothing";
            }
        }
        return open.Count > 0 ? $"the '{open.Peek().Bracket}' opened on line {open.Peek().Line} is never closed (is the file cut short?)" : null;
    }

    private static int ClosingQuote(string text, int from)
    {
        for (var k = from; k < text.Length && text[k] != '\n'; k++)
        {
            if (text[k] == '\\') k++;
            else if (text[k] == '"') return k;
        }
        return -1;
    }

    /// <summary>The first line of a parser's message, cut to 100 characters, control characters replaced.</summary>
    private static string OneLine(string message)
    {
        var first = message.Split('\n')[0].Trim();
        var cut = first.Length > 100 ? first[..100] + "..." : first;
        return new string([.. cut.Select(ch => char.IsControl(ch) || ch == '\uFFFD' ? '?' : ch)]);
    }
}
