using System.Diagnostics;
using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Transfer;

namespace QSI.TransportBenchmark;

/// <summary>
/// The server's end of the Akka path: the realistic one. Each frame is published in the
/// server's <see cref="BlobStore"/> for the receiver, the receiver is sent the offer, pulls
/// the chunks with a <see cref="BlobDownload"/>, reassembles the frame and acknowledges it.
/// One frame at a time, like the TCP path; the clock runs from the first publish to the
/// last acknowledgement.
/// </summary>
internal sealed class AkkaPath(ActorSystem system, ReceiverProcess receiver, Address target, BenchmarkOptions options, IActorRef? store = null)
{
    private readonly IActorRef _store = store ?? system.ActorOf(BlobStore.Props(BlobStoreOptions.Default.WithChunkSize(options.ChunkSize)), BlobStore.Name);
    private IActorRef _receiver = ActorRefs.Nobody;

    /// <summary>Resolves the receiver's actor over the wire.</summary>
    public async Task ConnectAsync()
    {
        var path = new RootActorPath(target) / "user" / FrameReceiver.Name;
        try
        {
            _receiver = await receiver.Within(system.ActorSelection(path).ResolveOne(BenchmarkOptions.StepTimeout), $"resolving {path}");
        }
        catch (ActorNotFoundException e)
        {
            throw new BenchmarkException($"resolving {path}: no such actor", e);
        }
    }

    /// <summary>Moves frames [<paramref name="first"/>, first + <paramref name="count"/>) of <paramref name="frames"/>, timed.</summary>
    public async Task<Throughput> MoveAsync(FramePayloads frames, int first, int count)
    {
        var processor = receiver.ProcessorTimeOfBoth();
        var clock = Stopwatch.StartNew();
        for (var k = first; k < first + count; k++)
        {
            var payload = frames[k];
            var offer = await receiver.Within(_store.Ask<object>(new BlobStore.Publish(payload, "frame", _receiver), BenchmarkOptions.StepTimeout), $"publishing frame {k}") switch
            {
                BlobStore.Published p => p.Offer,
                BlobStore.Refused r => throw new BenchmarkException($"frame {k}: the store refused it: {r.Reason}"),
                var other => throw new BenchmarkException($"frame {k}: the store answered {other.GetType().Name}"),
            };
            var answer = await receiver.Within(_receiver.Ask<object>(offer, BenchmarkOptions.StepTimeout), $"frame {k} over Akka.Remote");
            if (answer is not long received) throw new BenchmarkException($"frame {k} over Akka.Remote: {answer}");
            if (received != payload.Length) throw new BenchmarkException($"frame {k} over Akka.Remote: the receiver reassembled {received} bytes of {payload.Length}");
        }
        clock.Stop();
        return new Throughput(count, frames.FrameBytes, clock.Elapsed, receiver.ProcessorTimeOfBoth() - processor);
    }

    /// <summary>How many methods the receiver's JIT has compiled so far.</summary>
    public async Task<long> ReceiverCompiledMethodsAsync() =>
        await receiver.Within(_receiver.Ask<long>(FrameReceiver.CompiledMethodsRequest, BenchmarkOptions.StepTimeout), "asking the receiver how many methods it compiled");

    /// <summary>The SHA-256 of the last frame the receiver reassembled.</summary>
    public async Task<string> LastDigestAsync() =>
        await receiver.Within(_receiver.Ask<string>(FrameReceiver.DigestRequest, BenchmarkOptions.StepTimeout), "asking the receiver for the last frame's digest");
}
