using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Federation.Privacy;
using QSI.Federation.Strategies;

namespace QSI.Actors.Roles;

/// <summary>
/// The client's part in secure aggregation (docs/FEDERATED.md): a fresh key for every fit task,
/// the peers' keys the server relays, the update masked once both are here, and what removes the
/// masks when the server asks the survivors.
/// </summary>
public sealed partial class TrainingClientActor
{
    /// <summary>A fit task under secure aggregation: the secrets, the peers' keys once relayed, the update once trained.</summary>
    private sealed class Masking(AggregationSecret secret)
    {
        public AggregationSecret Secret { get; } = secret;
        public IReadOnlyDictionary<string, byte[]>? Keys { get; set; }
        public (ClientUpdate Update, double Loss)? Trained { get; set; }
    }

    private void ReceiveMasking()
    {
        Receive<Training.MaskingKeys>(keys =>
        {
            if (!FromServer(keys) || _masking is not { Keys: null } masking || keys.RequestId != masking.Secret.RequestId || keys.Clients.Count != keys.Keys.Count) return;
            masking.Keys = keys.Clients.Zip(keys.Keys).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            SendMasked();
        });
        Receive<Training.RevealMasks>(reveal =>
        {
            if (!FromServer(reveal) || _masking is not { } masking || reveal.RequestId != masking.Secret.RequestId || !reveal.Survivors.Contains(_clientId)) return;
            var revealed = masking.Secret.Reveal(reveal.Survivors);
            _server.Tell(new Training.MasksRevealed(reveal.RequestId, _clientId, revealed.SelfSeed, [.. revealed.PeerSeeds.Keys], [.. revealed.PeerSeeds.Values]));
        });
    }

    private void StartMasking(Training.Task task)
    {
        _masking?.Secret.Dispose();
        _masking = null;
        if (!task.SecureAggregation) return;
        // A fresh key for every task: the server relays the public half to the other clients of the phase.
        _masking = new Masking(new AggregationSecret(_clientId, task.RequestId, task.Round));
        _server.Tell(new Training.MaskingKey(task.RequestId, _clientId, _masking.Secret.PublicKey));
    }

    /// <summary>Once both the update and the peers' keys are here, masks the update and offers it.</summary>
    private void SendMasked()
    {
        if (_masking is not { Keys: { } keys, Trained: { } trained } masking) return;
        byte[] payload;
        try
        {
            payload = MaskedSum.Encode(masking.Secret.Mask(trained.Update.Delta, trained.Update.Samples, keys));
        }
        catch (ArgumentException e)
        {
            _server.Tell(new Training.Failed(masking.Secret.RequestId, _clientId, $"it could not mask its update: {e.Message}"));
            return;
        }
        Offer(masking.Secret.RequestId, _clientId, trained.Update.Samples, trained.Loss, payload, masked: true);
    }
}
