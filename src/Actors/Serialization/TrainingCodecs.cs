using QSI.Actors.Messages;
using QSI.Federation.Privacy;
using QSI.Federation.Privacy.SecAgg;

namespace QSI.Actors.Serialization;

/// <summary>Codecs of the <see cref="Training"/> conversation.</summary>
internal static class TrainingCodecs
{
    private const int MaxLayers = 64;
    private const int MaxClients = 100_000;
    private const int MaxKeyBytes = 512;
    private const int MaxSignatureBytes = 132;
    private const int MaxShareBytes = 256;

    public static IEnumerable<WireCodec> All =>
    [
        WireCodec.For<Training.Join>("train-join",
            (w, m) => { ServingCodecs.Client(w, m.ClientId); w.Int32(m.TrainSamples); w.Int32(m.EvaluationSamples); },
            (ref r) => new Training.Join(ServingCodecs.Client(ref r), r.Int32("train samples", 0, int.MaxValue), r.Int32("evaluation samples", 0, int.MaxValue))),
        WireCodec.For<Training.Welcome>("train-welcome",
            (w, m) =>
            {
                ServingCodecs.Client(w, m.ClientId);
                if (m.Sizes.Count is < 2 or > MaxLayers + 1) throw new ArgumentException($"a model of {m.Sizes.Count} sizes");
                w.Int32(m.Sizes.Count);
                foreach (var size in m.Sizes) w.Int32(size);
                w.Boolean(m.Bias);
                w.Boolean(m.Plain);
            },
            (ref r) =>
            {
                var client = ServingCodecs.Client(ref r);
                var sizes = new int[r.Count("size count", 2, MaxLayers + 1, 4)];
                for (var k = 0; k < sizes.Length; k++) sizes[k] = r.Int32("layer size", 1, 1 << 20);
                return new Training.Welcome(client, sizes, r.Boolean("bias"), r.Boolean("plain"));
            }),
        WireCodec.For<Training.JoinRefused>("train-join-refused",
            (w, m) => { ServingCodecs.Client(w, m.ClientId); ServingCodecs.Reason(w, m.Reason); },
            (ref r) => new Training.JoinRefused(ServingCodecs.Client(ref r), ServingCodecs.Reason(ref r))),
        WireCodec.For<Training.Task>("train-task", WriteTask, ReadTask),
        WireCodec.For<Training.Update>("train-update",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); w.Int32(m.Samples); w.Double(m.TrainLoss); BlobCodecs.WriteOffer(w, m.Delta); w.Boolean(m.Masked); },
            (ref r) => new Training.Update(r.Int64(), ServingCodecs.Client(ref r), r.Int32("samples", 1, int.MaxValue), r.Double("train loss"), BlobCodecs.ReadOffer(ref r),
                r.Boolean("masked"))),
        WireCodec.For<Training.MaskingKey>("train-masking-key",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); Keys(w, m.Keys); },
            (ref r) => new Training.MaskingKey(r.Int64(), ServingCodecs.Client(ref r), Keys(ref r))),
        WireCodec.For<Training.MaskingKeys>("train-masking-keys",
            (w, m) =>
            {
                w.Int64(m.RequestId);
                w.Int32(m.Threshold);
                Clients(w, m.Clients);
                if (m.Keys.Count != m.Clients.Count) throw new ArgumentException($"{m.Clients.Count} clients and {m.Keys.Count} keys");
                foreach (var keys in m.Keys) Keys(w, keys);
            },
            (ref r) =>
            {
                var request = r.Int64();
                var threshold = r.Int32("threshold", 1, MaxClients);
                var clients = Clients(ref r);
                var keys = new AdvertisedKeys[clients.Length];
                for (var k = 0; k < keys.Length; k++) keys[k] = Keys(ref r);
                return new Training.MaskingKeys(request, threshold, clients, keys);
            }),
        WireCodec.For<Training.KeyShares>("train-key-shares",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); Envelopes(w, m.Envelopes); },
            (ref r) => new Training.KeyShares(r.Int64(), ServingCodecs.Client(ref r), Envelopes(ref r))),
        WireCodec.For<Training.ForwardedShares>("train-forwarded-shares",
            (w, m) => { w.Int64(m.RequestId); Envelopes(w, m.Envelopes); },
            (ref r) => new Training.ForwardedShares(r.Int64(), Envelopes(ref r))),
        WireCodec.For<Training.SignSurvivors>("train-sign-survivors",
            (w, m) => { w.Int64(m.RequestId); Clients(w, m.Survivors); },
            (ref r) => new Training.SignSurvivors(r.Int64(), Clients(ref r))),
        WireCodec.For<Training.SurvivorsSigned>("train-survivors-signed",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); w.Bytes(m.Signature, "signature", MaxSignatureBytes); },
            (ref r) => new Training.SurvivorsSigned(r.Int64(), ServingCodecs.Client(ref r), r.Bytes("signature", MaxSignatureBytes).ToArray())),
        WireCodec.For<Training.RevealMasks>("train-reveal-masks",
            (w, m) =>
            {
                w.Int64(m.RequestId);
                Clients(w, m.Survivors);
                Clients(w, m.Signers);
                if (m.Signatures.Count != m.Signers.Count) throw new ArgumentException($"{m.Signers.Count} signers and {m.Signatures.Count} signatures");
                foreach (var signature in m.Signatures) w.Bytes(signature, "signature", MaxSignatureBytes);
            },
            (ref r) =>
            {
                var request = r.Int64();
                var survivors = Clients(ref r);
                var signers = Clients(ref r);
                var signatures = new byte[signers.Length][];
                for (var k = 0; k < signatures.Length; k++) signatures[k] = r.Bytes("signature", MaxSignatureBytes).ToArray();
                return new Training.RevealMasks(request, survivors, signers, signatures);
            }),
        WireCodec.For<Training.MasksRevealed>("train-masks-revealed",
            (w, m) =>
            {
                w.Int64(m.RequestId);
                ServingCodecs.Client(w, m.ClientId);
                if (m.Shares.Count > MaxClients) throw new ArgumentException($"{m.Shares.Count} shares");
                w.Int32(m.Shares.Count);
                foreach (var share in m.Shares) { ServingCodecs.Client(w, share.Owner); w.Int32((int)share.Kind); w.Bytes(share.Share, "share", MaxShareBytes); }
            },
            (ref r) =>
            {
                var request = r.Int64();
                var client = ServingCodecs.Client(ref r);
                var shares = new RevealedShare[r.Count("share count", 0, MaxClients, 12)];
                for (var k = 0; k < shares.Length; k++)
                    shares[k] = new RevealedShare(ServingCodecs.Client(ref r), (ShareKind)r.Int32("share kind", 0, 1), r.Bytes("share", MaxShareBytes).ToArray());
                return new Training.MasksRevealed(request, client, shares);
            }),
        WireCodec.For<Training.Evaluated>("train-evaluated",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); w.Int32(m.Samples); w.Int32(m.Correct); w.Double(m.Loss); },
            (ref r) =>
            {
                var request = r.Int64();
                var client = ServingCodecs.Client(ref r);
                var samples = r.Int32("samples", 1, int.MaxValue);
                return new Training.Evaluated(request, client, samples, r.Int32("correct", 0, samples), r.Double("loss"));
            }),
        WireCodec.For<Training.Declined>("train-declined",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); ServingCodecs.Reason(w, m.Reason); },
            (ref r) => new Training.Declined(r.Int64(), ServingCodecs.Client(ref r), ServingCodecs.Reason(ref r))),
        WireCodec.For<Training.Failed>("train-failed",
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); ServingCodecs.Reason(w, m.Reason); },
            (ref r) => new Training.Failed(r.Int64(), ServingCodecs.Client(ref r), ServingCodecs.Reason(ref r))),
        WireCodec.For<Training.Finished>("train-finished",
            (w, m) => { w.Int32(m.Rounds); w.Double(m.TestAccuracy); },
            (ref r) => new Training.Finished(r.Int32("rounds", 0, int.MaxValue), r.Double("test accuracy"))),
    ];

    private static void WriteTask(MessageWriter w, Training.Task m)
    {
        w.Int64(m.RequestId);
        w.Int32(m.Round);
        w.Int32((int)m.Kind);
        w.Int32(m.Epochs);
        w.Int32(m.BatchSize);
        w.Double(m.LearningRate);
        w.Double(m.ProximalTerm);
        w.Boolean(m.SingleStep);
        w.Int32(m.Samples);
        w.Int32(m.Passes);
        ServingCodecs.Offers(w, m.Light);
        w.Boolean(m.Verifier is not null);
        if (m.Verifier is not null) w.ActorRef(m.Verifier);
        w.Boolean(m.SecureAggregation);
        w.Boolean(m.Privacy is not null);
        if (m.Privacy is { } privacy)
        {
            w.Double(privacy.Clip);
            w.Double(privacy.NoiseStd);
        }
    }

    private static void Keys(MessageWriter w, AdvertisedKeys keys)
    {
        w.Bytes(keys.Masking, "masking key", MaxKeyBytes);
        w.Bytes(keys.Sharing, "sharing key", MaxKeyBytes);
        w.Bytes(keys.Signing, "signing key", MaxKeyBytes);
    }

    private static AdvertisedKeys Keys(ref MessageReader r) =>
        new(r.Bytes("masking key", MaxKeyBytes).ToArray(), r.Bytes("sharing key", MaxKeyBytes).ToArray(), r.Bytes("signing key", MaxKeyBytes).ToArray());

    private static void Envelopes(MessageWriter w, IReadOnlyList<ShareEnvelope> envelopes)
    {
        if (envelopes.Count > MaxClients) throw new ArgumentException($"{envelopes.Count} envelopes");
        w.Int32(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            ServingCodecs.Client(w, envelope.From);
            ServingCodecs.Client(w, envelope.To);
            w.Bytes(envelope.Sealed, "sealed shares", ShareEnvelope.MaxSealedBytes);
        }
    }

    private static ShareEnvelope[] Envelopes(ref MessageReader r)
    {
        var envelopes = new ShareEnvelope[r.Count("envelope count", 0, MaxClients, 12)];
        for (var k = 0; k < envelopes.Length; k++)
            envelopes[k] = new ShareEnvelope(ServingCodecs.Client(ref r), ServingCodecs.Client(ref r), r.Bytes("sealed shares", ShareEnvelope.MaxSealedBytes).ToArray());
        return envelopes;
    }

    private static void Clients(MessageWriter w, IReadOnlyList<string> clients)
    {
        if (clients.Count > MaxClients) throw new ArgumentException($"{clients.Count} clients");
        w.Int32(clients.Count);
        foreach (var client in clients) ServingCodecs.Client(w, client);
    }

    private static string[] Clients(ref MessageReader r)
    {
        var clients = new string[r.Count("client count", 0, MaxClients, 4)];
        for (var k = 0; k < clients.Length; k++) clients[k] = ServingCodecs.Client(ref r);
        return clients;
    }

    private static Training.Task ReadTask(ref MessageReader r)
    {
        var request = r.Int64();
        var round = r.Int32("round", 1, int.MaxValue);
        var kind = (Training.TaskKindCode)r.Int32("task kind", 0, 1);
        var epochs = r.Int32("epochs", 1, int.MaxValue);
        var batch = r.Int32("batch size", 1, int.MaxValue);
        var rate = r.Double("learning rate");
        var proximal = r.Double("proximal term");
        var single = r.Boolean("single step");
        var samples = r.Int32("samples", 1, int.MaxValue);
        var passes = r.Int32("passes", 1, int.MaxValue);
        var light = ServingCodecs.Offers(ref r);
        var verifier = r.Boolean("has verifier") ? r.ActorRef("verifier") : null;
        var secure = r.Boolean("secure aggregation");
        var privacy = r.Boolean("has privacy") ? Privacy(ref r) : null;
        return new Training.Task(request, round, kind, epochs, batch, rate, proximal, single, samples, passes, light, verifier, secure, privacy);
    }

    private static ClientPrivacy Privacy(ref MessageReader r)
    {
        var clip = r.Double("clipping norm");
        var noise = r.Double("noise std");
        return clip > 0 && noise >= 0 ? new ClientPrivacy(clip, noise) : throw r.Malformed($"privacy of clip {clip} and noise std {noise}: the clip must be positive, the std at least 0");
    }
}
