using QSI.Actors.Messages;
using QSI.Federation.Privacy;

namespace QSI.Actors.Serialization;

/// <summary>Codecs of the <see cref="Training"/> conversation.</summary>
internal static class TrainingCodecs
{
    private const int MaxLayers = 64;
    private const int MaxClients = 100_000;
    private const int MaxKeyBytes = 512;
    private const int SeedBytes = 32;

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
                var sizes = new int[r.Int32("size count", 2, MaxLayers + 1)];
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
            (w, m) => { w.Int64(m.RequestId); ServingCodecs.Client(w, m.ClientId); w.Bytes(m.PublicKey, "public key", MaxKeyBytes); },
            (ref r) => new Training.MaskingKey(r.Int64(), ServingCodecs.Client(ref r), r.Bytes("public key", MaxKeyBytes).ToArray())),
        WireCodec.For<Training.MaskingKeys>("train-masking-keys",
            (w, m) =>
            {
                w.Int64(m.RequestId);
                if (m.Clients.Count != m.Keys.Count || m.Clients.Count > MaxClients) throw new ArgumentException($"{m.Clients.Count} clients and {m.Keys.Count} keys");
                w.Int32(m.Clients.Count);
                for (var k = 0; k < m.Clients.Count; k++) { ServingCodecs.Client(w, m.Clients[k]); w.Bytes(m.Keys[k], "public key", MaxKeyBytes); }
            },
            (ref r) =>
            {
                var request = r.Int64();
                var count = r.Int32("client count", 0, MaxClients);
                var clients = new string[count];
                var keys = new byte[count][];
                for (var k = 0; k < count; k++) { clients[k] = ServingCodecs.Client(ref r); keys[k] = r.Bytes("public key", MaxKeyBytes).ToArray(); }
                return new Training.MaskingKeys(request, clients, keys);
            }),
        WireCodec.For<Training.RevealMasks>("train-reveal-masks",
            (w, m) => { w.Int64(m.RequestId); Clients(w, m.Survivors); },
            (ref r) => new Training.RevealMasks(r.Int64(), Clients(ref r))),
        WireCodec.For<Training.MasksRevealed>("train-masks-revealed",
            (w, m) =>
            {
                w.Int64(m.RequestId);
                ServingCodecs.Client(w, m.ClientId);
                w.Bytes(m.SelfSeed, "self seed", SeedBytes);
                Clients(w, m.Peers);
                if (m.Seeds.Count != m.Peers.Count) throw new ArgumentException($"{m.Peers.Count} peers and {m.Seeds.Count} seeds");
                foreach (var seed in m.Seeds) w.Bytes(seed, "seed", SeedBytes);
            },
            (ref r) =>
            {
                var request = r.Int64();
                var client = ServingCodecs.Client(ref r);
                var self = r.Bytes("self seed", SeedBytes).ToArray();
                var peers = Clients(ref r);
                var seeds = new byte[peers.Length][];
                for (var k = 0; k < peers.Length; k++) seeds[k] = r.Bytes("seed", SeedBytes).ToArray();
                return new Training.MasksRevealed(request, client, self, peers, seeds);
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

    private static void Clients(MessageWriter w, IReadOnlyList<string> clients)
    {
        if (clients.Count > MaxClients) throw new ArgumentException($"{clients.Count} clients");
        w.Int32(clients.Count);
        foreach (var client in clients) ServingCodecs.Client(w, client);
    }

    private static string[] Clients(ref MessageReader r)
    {
        var clients = new string[r.Int32("client count", 0, MaxClients)];
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
