namespace QSI.Node;

/// <summary>
/// A mistake the user can fix (a value out of range, a path that cannot be written). Its message
/// is one line that names the flag or file and the problem; <c>qsi</c> prints it and exits with
/// <see cref="ExitCodes.Usage"/>.
/// </summary>
internal sealed class UserError : Exception
{
    /// <summary>Creates the error with a one-line message.</summary>
    public UserError(string message, Exception? innerException = null)
        : base(message.ReplaceLineEndings(" ").Trim(), innerException)
    {
    }
}
