using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Federation.Privacy;
using QSI.Federation.Privacy.SecAgg;
using QSI.Federation.Strategies;

namespace QSI.Actors.Roles;

/// <summary>
/// The client's part in secure aggregation (docs/FEDERATED.md): fresh keys for every fit task,
/// its secrets shared among the roster the server relays, the update masked once both the peers'
/// shares and the update are here, the survivor list signed, and its shares revealed once the
/// consistency check passes. What <see cref="SecAggClient"/> refuses is logged and not answered.
/// </summary>
public sealed partial class TrainingClientActor
{
    /// <summary>A fit task under secure aggregation: the protocol's state, the update once trained.</summary>
    private sealed class Masking(SecAggClient secret)
    {
        public SecAggClient Secret { get; } = secret;
        public (ClientUpdate Update, double Loss)? Trained { get; set; }
    }

    private void ReceiveMasking()
    {
        Receive<Training.MaskingKeys>(keys =>
        {
            if (ForTask(keys, keys.RequestId) is not { } masking) return;
            if (keys.Clients.Count != keys.Keys.Count || keys.Clients.Distinct(StringComparer.Ordinal).Count() != keys.Clients.Count)
            {
                Quit(masking, "the roster of keys names a client twice, or a client without keys");
                return;
            }
            var roster = keys.Clients.Zip(keys.Keys).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            if (Protocol(masking, () => masking.Secret.ShareKeys(keys.Threshold, roster)) is { } envelopes)
                _server.Tell(new Training.KeyShares(keys.RequestId, _clientId, envelopes));
        });
        Receive<Training.ForwardedShares>(shares =>
        {
            if (ForTask(shares, shares.RequestId) is not { } masking) return;
            if (Protocol(masking, () => { masking.Secret.AcceptShares(shares.Envelopes); return shares; }) is not null) SendMasked();
        });
        Receive<Training.SignSurvivors>(sign =>
        {
            if (ForTask(sign, sign.RequestId) is not { } masking) return;
            if (Protocol(masking, () => masking.Secret.SignSurvivors(sign.Survivors), quit: false) is { } signature)
                _server.Tell(new Training.SurvivorsSigned(sign.RequestId, _clientId, signature));
        });
        Receive<Training.RevealMasks>(reveal =>
        {
            if (ForTask(reveal, reveal.RequestId) is not { } masking) return;
            if (reveal.Signers.Count != reveal.Signatures.Count || reveal.Signers.Distinct(StringComparer.Ordinal).Count() != reveal.Signers.Count)
            {
                _log.Warning("client {0}: the signatures of task {1} do not match their signers; it reveals nothing", _clientId, reveal.RequestId);
                return;
            }
            var signatures = reveal.Signers.Zip(reveal.Signatures).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            if (Protocol(masking, () => masking.Secret.Unmask(reveal.Survivors, signatures), quit: false) is { } revealed)
                _server.Tell(new Training.MasksRevealed(reveal.RequestId, _clientId, revealed));
        });
    }

    /// <summary>The masking of the task <paramref name="requestId"/>, when <paramref name="message"/> is the server's about it.</summary>
    private Masking? ForTask(object message, long requestId) =>
        FromServer(message) && _masking is { } masking && masking.Secret.RequestId == requestId ? masking : null;

    /// <summary>
    /// A step of the protocol; when the client refuses it, null, logged, and, with <paramref name="quit"/>
    /// (before its update is in), the task given up so the server stops waiting for it.
    /// </summary>
    private T? Protocol<T>(Masking masking, Func<T> step, bool quit = true) where T : class
    {
        try
        {
            return step();
        }
        catch (InvalidOperationException e)
        {
            if (quit) Quit(masking, e.Message);
            else _log.Warning("{0}; it reveals nothing", e.Message);
            return null;
        }
    }

    private void Quit(Masking masking, string reason)
    {
        _log.Warning("client {0}: secure aggregation of task {1} stopped: {2}", _clientId, masking.Secret.RequestId, reason);
        _server.Tell(new Training.Failed(masking.Secret.RequestId, _clientId, $"secure aggregation: {reason}"));
    }

    private void StartMasking(Training.Task task)
    {
        _masking?.Secret.Dispose();
        _masking = null;
        if (!task.SecureAggregation) return;
        // Fresh keys for every task: the server relays their public halves to the other clients of the phase.
        _masking = new Masking(new SecAggClient(_clientId, task.RequestId, task.Round));
        _server.Tell(new Training.MaskingKey(task.RequestId, _clientId, _masking.Secret.Keys));
    }

    /// <summary>Once both the update and the peers' shares are here, masks the update and offers it.</summary>
    private void SendMasked()
    {
        if (_masking is not { Trained: { } trained } masking || !masking.Secret.ReadyToMask) return;
        byte[] payload;
        try
        {
            payload = MaskedSum.Encode(masking.Secret.Mask(trained.Update.Delta, trained.Update.Samples));
        }
        catch (ArgumentException e)
        {
            _server.Tell(new Training.Failed(masking.Secret.RequestId, _clientId, $"it could not mask its update: {e.Message}"));
            return;
        }
        Offer(masking.Secret.RequestId, _clientId, trained.Update.Samples, trained.Loss, payload, masked: true);
    }
}
