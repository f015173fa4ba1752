using QSI.Federation.Storage;
namespace QSI.Node.Output;

/// <summary>
/// Result files: their directories are created and checked before any long computation, and
/// they are written to a temporary file that is renamed into place, so a failed or interrupted
/// run never leaves a half-written result behind.
/// </summary>
internal static class OutputFiles
{
    /// <summary>
    /// Makes sure the file <paramref name="path"/> (given by <paramref name="flag"/>) can be written:
    /// creates its directory and tries a scratch file there. Returns the full path.
    /// </summary>
    /// <exception cref="UserError">The path is a directory or its directory cannot be created or written.</exception>
    public static string PrepareFile(string path, string flag)
    {
        var fullPath = FullPath(path, flag);
        if (Directory.Exists(fullPath))
        {
            throw new UserError($"{flag} {fullPath}: is a directory; give the path of the file to write");
        }

        CheckWritable(Path.GetDirectoryName(fullPath)!, flag);
        return fullPath;
    }

    /// <summary>Creates the directory <paramref name="path"/> if needed and checks it can be written. Returns the full path.</summary>
    /// <exception cref="UserError">The path is a file or cannot be created or written.</exception>
    public static string PrepareDirectory(string path, string flag)
    {
        var fullPath = FullPath(path, flag);
        if (File.Exists(fullPath))
        {
            throw new UserError($"{flag} {fullPath}: is a file; give a directory to write into");
        }

        CheckWritable(fullPath, flag);
        return fullPath;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file in the same directory.</summary>
    /// <exception cref="UserError">The file cannot be written.</exception>
    public static void WriteAtomically(string path, byte[] bytes) => Write(path, target => AtomicFile.Write(target, bytes));

    /// <summary>
    /// Runs <paramref name="write"/> on the full path, turning the file system's refusals into a
    /// one-line <see cref="UserError"/>; for writers with their own atomic save, like a model file.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            write(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write {fullPath}: {ex.Message}", ex);
        }
    }

    private static string FullPath(string path, string flag)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserError($"{flag} '{path}': not a valid path", ex);
        }
    }

    private static void CheckWritable(string directory, string flag)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".qsi-write-check.{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{flag}: cannot write into {directory}: {ex.Message}", ex);
        }
    }
}
