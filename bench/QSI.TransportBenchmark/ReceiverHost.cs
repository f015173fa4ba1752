using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>
/// The child process (<c>receiver</c> mode): two actor systems with a <see cref="FrameReceiver"/>
/// each, one with plain remoting and one with mutual TLS, and a TCP listener, all on 127.0.0.1.
/// It prints one ready line on standard output,
/// <c>ready &lt;akka address&gt; &lt;tcp port&gt; &lt;tls akka address&gt;</c>, and runs until its standard input
/// ends: the parent closes it when done, and the OS closes it if the parent dies, so a
/// receiver never outlives its run.
/// </summary>
internal static class ReceiverHost
{
    /// <summary>The mode argument that starts a receiver.</summary>
    public const string Mode = "receiver";

    /// <summary>The first word of the ready line.</summary>
    public const string ReadyWord = "ready";

    private static volatile bool s_stopping;

    public static int Run(BenchmarkOptions options)
    {
        StandardErrorLogger.Role = Mode;
        using var system = Remoting.Start("receiver", options.Hocon);
        system.ActorOf(FrameReceiver.Props(BlobDownloadOptions.Default.WithWindow(options.Window)), FrameReceiver.Name);
        using var tls = Remoting.StartTls("receiver", options.Hocon, options.TlsCertificate);
        tls.ActorOf(FrameReceiver.Props(BlobDownloadOptions.Default.WithWindow(options.Window)), FrameReceiver.Name);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sink = new Thread(() => ServeTcp(listener)) { IsBackground = true, Name = "tcp-sink" };
        sink.Start();

        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ReadyWord} {Remoting.AddressOf(system)} {port} {Remoting.AddressOf(tls)}"));
        Console.Out.Flush();

        while (Console.In.ReadLine() is not null)
        {
            // Nothing is sent on standard input; it only tells, by ending, that the parent is gone.
        }
        s_stopping = true;
        listener.Stop();
        Task.WaitAll([system.Terminate(), tls.Terminate()], TimeSpan.FromSeconds(10));
        return 0;
    }

    private static void ServeTcp(TcpListener listener)
    {
        try
        {
            TcpSink.Serve(listener, BenchmarkOptions.StepTimeout);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or ObjectDisposedException)
        {
            // The sender sees the connection drop and reports; this says why. Stopping the listener ends an accept that never got a connection.
            if (!s_stopping) Console.Error.WriteLine($"{Mode}: tcp: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
