namespace QSI.Federation.Models;

/// <summary>
/// A model file could not be read. <see cref="Exception.Message"/> is a single line naming the file and
/// the problem, fit to show a user as is.
/// </summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a short description of the problem.</summary>
    public ModelFileException(string path, string problem, Exception? innerException = null)
        : base(OneLine($"Model file '{path}': {problem}"), innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file that failed to load.</summary>
    public string Path { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Problem { get; }

    // Messages from the OS or the runtime occasionally carry line breaks; a log line must not.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
