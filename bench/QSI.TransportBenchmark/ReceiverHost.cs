using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>
/// The child process (<c>receiver</c> mode): two actor systems with a <see cref="FrameReceiver"/>
/// each, one with plain remoting and one with mutual TLS, a TCP listener, a TLS listener and an Akka.Streams TCP listener, all on 127.0.0.1.
/// It prints one ready line on standard output,
/// <c>ready &lt;akka address&gt; &lt;tcp port&gt; &lt;tls akka address&gt; &lt;tls port&gt; &lt;streams port&gt;</c>, and runs until its standard input
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

        var listener = Listen(null);
        var tlsListener = Listen(TlsCertificate.Load(options.TlsCertificate));

        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var tlsPort = ((IPEndPoint)tlsListener.LocalEndpoint).Port;
        var streamsPort = StreamsTcpPath.ServeAsync(system).GetAwaiter().GetResult();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ReadyWord} {Remoting.AddressOf(system)} {port} {Remoting.AddressOf(tls)} {tlsPort} {streamsPort}"));
        Console.Out.Flush();

        while (Console.In.ReadLine() is not null)
        {
            // Nothing is sent on standard input; it only tells, by ending, that the parent is gone.
        }
        s_stopping = true;
        listener.Stop();
        tlsListener.Stop();
        Task.WaitAll([system.Terminate(), tls.Terminate()], TimeSpan.FromSeconds(10));
        return 0;
    }

    private static TcpListener Listen(System.Security.Cryptography.X509Certificates.X509Certificate2? tls)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        new Thread(() => ServeTcp(listener, tls)) { IsBackground = true, Name = tls is null ? "tcp-sink" : "tls-sink" }.Start();
        return listener;
    }

    private static void ServeTcp(TcpListener listener, System.Security.Cryptography.X509Certificates.X509Certificate2? tls)
    {
        try
        {
            TcpSink.Serve(listener, BenchmarkOptions.StepTimeout, tls);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The sender sees the connection drop and reports; this says why. Stopping the listener ends an accept that never got a connection.
            if (!s_stopping) Console.Error.WriteLine($"{Mode}: tcp: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
