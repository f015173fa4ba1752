using System.Net;
using System.Net.Sockets;

namespace QSI.Node.Tests.Cluster;

/// <summary>Ports on loopback for test nodes.</summary>
internal static class Ports
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A list that disposes every item with it.</summary>
internal sealed class DisposableList<T>(IEnumerable<T> items) : List<T>(items), IDisposable
    where T : IDisposable
{
    public void Dispose() => ForEach(item => item.Dispose());
}
