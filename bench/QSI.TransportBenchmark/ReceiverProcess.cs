using System.Diagnostics;
using System.Globalization;
using Akka.Actor;

namespace QSI.TransportBenchmark;

/// <summary>
/// The parent's handle on its receiver: a child process of this same program in
/// <see cref="ReceiverHost.Mode"/>. Disposing it closes the child's standard input, which
/// ends the child; a child that has not exited after a grace period is killed.
/// </summary>
internal sealed class ReceiverProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Task _exited;

    private ReceiverProcess(Process process, Address akkaAddress, int tcpPort, Address tlsAddress, int tlsPort, int streamsPort)
    {
        StreamsPort = streamsPort;
        TlsPort = tlsPort;
        TlsAddress = tlsAddress;
        _process = process;
        _exited = process.WaitForExitAsync();
        AkkaAddress = akkaAddress;
        TcpPort = tcpPort;
    }

    /// <summary>Where the receiver's actor system listens.</summary>
    public Address AkkaAddress { get; }

    /// <summary>Where the receiver's actor system with mutual TLS listens.</summary>
    public Address TlsAddress { get; }

    /// <summary>The receiver's TCP port on 127.0.0.1.</summary>
    public int TcpPort { get; }

    /// <summary>The receiver's TLS port on 127.0.0.1.</summary>
    public int TlsPort { get; }

    /// <summary>The receiver's Akka.Streams TCP port on 127.0.0.1.</summary>
    public int StreamsPort { get; }

    /// <summary>Processor time used so far by the receiver.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Processor time used so far by this process and the receiver together.</summary>
    public TimeSpan ProcessorTimeOfBoth()
    {
        using var self = Process.GetCurrentProcess();
        _process.Refresh();
        return self.TotalProcessorTime + _process.TotalProcessorTime;
    }

    /// <summary>Starts a receiver with <paramref name="options"/> and waits for its ready line.</summary>
    public static async Task<ReceiverProcess> StartAsync(BenchmarkOptions options)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new BenchmarkException("cannot tell which executable is running, so cannot start the receiver"),
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        // Under "dotnet QSI.TransportBenchmark.dll" the process is the host; the receiver needs the same dll.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(typeof(ReceiverProcess).Assembly.Location);
        start.ArgumentList.Add(ReceiverHost.Mode);
        foreach (var argument in options.ReceiverArguments()) start.ArgumentList.Add(argument);

        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) ready.TrySetException(new BenchmarkException("the receiver exited before it was ready"));
            else if (e.Data.StartsWith(ReceiverHost.ReadyWord + " ", StringComparison.Ordinal)) ready.TrySetResult(e.Data);
            else Console.Error.WriteLine($"{ReceiverHost.Mode}: {e.Data}");
        };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new BenchmarkException($"cannot start the receiver ({start.FileName}): {e.Message}", e);
        }
        process.BeginOutputReadLine();

        var receiver = default(ReceiverProcess);
        try
        {
            var line = await ready.Task.WaitAsync(BenchmarkOptions.StepTimeout);
            var words = line.Split(' ');
            if (words.Length != 6 || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || !int.TryParse(words[4], NumberStyles.None, CultureInfo.InvariantCulture, out var tlsPort)
                || !int.TryParse(words[5], NumberStyles.None, CultureInfo.InvariantCulture, out var streamsPort))
                throw new BenchmarkException($"the receiver's ready line '{line}' is not '{ReceiverHost.ReadyWord} <akka address> <tcp port> <tls akka address> <tls port> <streams port>'");
            receiver = new ReceiverProcess(process, Address.Parse(words[1]), port, Address.Parse(words[3]), tlsPort, streamsPort);
            return receiver;
        }
        catch (TimeoutException)
        {
            throw new BenchmarkException($"the receiver was not ready within {BenchmarkOptions.StepTimeout.TotalSeconds:0} s");
        }
        finally
        {
            if (receiver is null) await Stop(process);
        }
    }

    /// <summary>
    /// <paramref name="step"/>'s result, or a one-line error if it takes longer than the step
    /// timeout or the receiver exits first.
    /// </summary>
    public async Task<T> Within<T>(Task<T> step, string what)
    {
        var timeout = Task.Delay(BenchmarkOptions.StepTimeout);
        var first = await Task.WhenAny(step, _exited, timeout);
        if (first == step)
        {
            try
            {
                return await step;
            }
            catch (Exception e) when (e is not BenchmarkException)
            {
                throw new BenchmarkException($"{what}: {e.Message.ReplaceLineEndings(" ")}", e);
            }
        }
        if (first == _exited) throw new BenchmarkException($"{what}: the receiver exited with code {_process.ExitCode}");
        throw new BenchmarkException($"{what}: no answer within {BenchmarkOptions.StepTimeout.TotalSeconds:0} s");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(Stop(_process));

    private static async Task Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.StandardInput.Close();
            using var grace = new CancellationTokenSource(ExitGrace);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        finally
        {
            process.Dispose();
        }
    }
}
