namespace QSI.Federation.Data;

/// <summary>
/// A problem with the training data that the user can fix: a missing or malformed file,
/// a failed download or a failed integrity check. The message is a single line that names
/// the file (or package) and the problem, so the command line can print it as is.
/// </summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public DatasetException(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>Creates the exception with a one-line message and the error that caused it.</summary>
    public DatasetException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>A problem with one file: <c>dataset file PATH: PROBLEM</c>.</summary>
    internal static DatasetException ForFile(string path, string problem, Exception? inner = null)
    {
        var message = $"dataset file {Path.GetFullPath(path)}: {problem}";
        return inner is null ? new DatasetException(message) : new DatasetException(message, inner);
    }

    // Messages sometimes embed text from the operating system or another tool; a stray
    // newline there would break the one-line contract the command line relies on.
    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
