namespace QSI.Node;

/// <summary>The process exit codes of <c>qsi</c>; scripts rely on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something failed that the user could not have prevented (a bug or a broken machine).</summary>
    public const int Failure = 1;

    /// <summary>The user asked for something that cannot be done: a bad flag, value, file or directory.</summary>
    public const int Usage = 2;

    /// <summary>The user stopped a long run (Ctrl-C, SIGTERM) before it finished; what it completed is kept.</summary>
    public const int Interrupted = 130;
}
