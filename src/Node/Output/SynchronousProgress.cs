namespace QSI.Node.Output;

/// <summary>
/// Calls its handler on the reporting thread, at once. <see cref="Progress{T}"/> posts to the
/// thread pool instead, so its last reports could arrive after the work, and the result, are done.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
