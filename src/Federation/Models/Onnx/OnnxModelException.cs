namespace QSI.Federation.Models.Onnx;

/// <summary>
/// An ONNX file could not be turned into a network. <see cref="Exception.Message"/> is one line,
/// <c>PATH: PROBLEM</c>, fit to show a user as is.
/// </summary>
public sealed class OnnxModelException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a short description of the problem.</summary>
    public OnnxModelException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}".ReplaceLineEndings(" "), innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file that failed to import.</summary>
    public string Path { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Problem { get; }
}
