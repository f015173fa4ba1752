using System.Runtime.InteropServices;

namespace QSI.Node;

/// <summary>
/// Ctrl-C and SIGTERM as a cancellation token for a long command that stops between steps
/// (a federated run stops after its last checkpoint) instead of being killed mid-write.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    /// <summary>Cancelled when the user asks the command to stop.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // The command winds down and exits itself; the runtime must not terminate it first.
        context.Cancel = true;
        _stop.Cancel();
    }
}
